import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  formatJson,
  formatKmsg,
  formatRecords,
  formatTimestamp,
} from '../../src-main/kernel/dmesg-format'
import type { LogRecord } from '../../src-main/kernel/printk'
import { useTempDir } from '../store/helpers'
import { lacksTools } from '../support/tools'

const tempDir = useTempDir()

const records: LogRecord[] = [
  { seq: 0, timestampNs: 0, level: 5, facility: 0, text: 'Linux version 6.1.0-56-arm64' },
  { seq: 1, timestampNs: 75_123, level: 6, facility: 0, text: 'sched_clock: 57 bits at 63MHz' },
  {
    seq: 2,
    timestampNs: 12_345_678_901,
    level: 4,
    facility: 0,
    text: 'acme: probe of x failed with error -5',
  },
  {
    seq: 3,
    timestampNs: 99_999_999_999_999,
    level: 7,
    facility: 0,
    text: 'calling  foo+0x0/0x10 @ 1',
  },
  {
    seq: 4,
    timestampNs: 1_500_000_000,
    level: 6,
    facility: 0,
    text: 'uart-pl011 9000000.pl011: no DMA platform data',
    device: { subsystem: 'amba', name: '9000000.pl011' },
  },
]

describe('dmesg renderings', () => {
  it('formats the timestamp as [%5lu.%06lu], truncating to microseconds', () => {
    expect(formatTimestamp(0)).toBe('[    0.000000]')
    expect(formatTimestamp(75_999)).toBe('[    0.000075]')
    expect(formatTimestamp(12_345_678_901)).toBe('[   12.345678]')
    expect(formatTimestamp(123_456_000_000_000)).toBe('[123456.000000]')
  })

  it('prefixes every line of a multi-line record', () => {
    const record: LogRecord = { seq: 0, timestampNs: 1000, level: 6, facility: 0, text: 'a\nb' }
    expect(formatRecords([record], 'text')).toBe('[    0.000001] a\n[    0.000001] b\n')
  })

  it('writes /dev/kmsg records with escapes and device dictionaries', () => {
    expect(
      formatKmsg({ seq: 7, timestampNs: 1_500_000, level: 6, facility: 0, text: 'tab\there \\ é' }),
    ).toBe('6,7,1500,-;tab\\x09here \\x5c \\xc3\\xa9\n')
    expect(formatKmsg(records[4] as LogRecord)).toBe(
      '6,4,1500000,-;uart-pl011 9000000.pl011: no DMA platform data\n SUBSYSTEM=amba\n DEVICE=+amba:9000000.pl011\n',
    )
  })

  it('writes util-linux JSON', () => {
    expect(formatJson(records.slice(0, 2))).toBe(
      '{\n   "dmesg": [\n      {\n         "pri": 5,\n         "time":     0.000000,\n         "msg": "Linux version 6.1.0-56-arm64"\n      },{\n         "pri": 6,\n         "time":     0.000075,\n         "msg": "sched_clock: 57 bits at 63MHz"\n      }\n   ]\n}\n',
    )
  })

  it.skipIf(lacksTools('dmesg'))(
    'reads back through util-linux dmesg exactly as the text and decoded forms',
    () => {
      const raw = join(tempDir(), 'raw.log')
      writeFileSync(raw, formatRecords(records, 'raw'))
      const dmesg = (...args: string[]) =>
        execFileSync('dmesg', ['-F', raw, ...args], { encoding: 'utf8' })
      expect(dmesg()).toBe(formatRecords(records, 'text'))
      expect(dmesg('-r')).toBe(formatRecords(records, 'raw'))
      expect(dmesg('-x').split('\n')[2]).toBe(
        'kern  :warn  : [   12.345678] acme: probe of x failed with error -5',
      )
    },
  )
})
