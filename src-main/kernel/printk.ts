/**
 * The printk ring buffer: every record is kept (`dmesg -c` moves the shell's read position, as
 * syslog's clear_seq does, and drops nothing); the console sees those under console_loglevel.
 */

import type { LogLevel } from '../linux/log-levels'
import { versionAtLeast, type KernelVersion } from '../linux/version'

export interface LogRecord {
  seq: number
  /** local_clock() at the time of the printk, in ns. */
  timestampNs: number
  level: LogLevel
  /** 0 (kernel) for every printk. */
  facility: number
  text: string
  /** For dev_printk: `/dev/kmsg` carries SUBSYSTEM= and DEVICE= dictionary lines. */
  device?: { subsystem: string; name: string }
}

export class LogBuffer {
  readonly records: LogRecord[] = []
  private listeners: ((record: LogRecord) => void)[] = []

  constructor(private readonly timestamp: () => number) {}

  printk(level: LogLevel, text: string, device?: LogRecord['device']): LogRecord {
    const record: LogRecord = {
      seq: this.records.length,
      timestampNs: this.timestamp(),
      level,
      facility: 0,
      text,
      ...(device ? { device } : {}),
    }
    this.records.push(record)
    for (const listener of this.listeners) listener(record)
    return record
  }

  onRecord(listener: (record: LogRecord) => void): void {
    this.listeners.push(listener)
  }
}

/**
 * register_console()'s line. con_printk() (kernel/printk/internal.h) prints `legacy ` before a
 * console that is not an nbcon console, as every console of these drivers is; it came with the
 * nbcon consoles, 6.7 [first release unverified; present in linux-source-6.12, absent in 6.1].
 */
export function consoleEnabledText(version: KernelVersion, name: string): string {
  return `printk: ${versionAtLeast(version, 6, 7) ? 'legacy ' : ''}console [${name}] enabled`
}
