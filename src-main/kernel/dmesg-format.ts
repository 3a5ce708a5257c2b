import type { LogRecord } from './printk'

/** `[%5lu.%06lu]`: seconds right-aligned in 5, microseconds (truncated) in 6. */
export function formatTimestamp(ns: number): string {
  const usec = Math.floor(ns / 1000)
  const seconds = Math.floor(usec / 1_000_000)
  return `[${String(seconds).padStart(5)}.${String(usec % 1_000_000).padStart(6, '0')}]`
}

function priority(record: LogRecord): number {
  return (record.facility << 3) | record.level
}

function prefixed(record: LogRecord, prefix: string): string {
  return record.text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n')
}

/** The console and `dmesg` text form. */
export function formatText(record: LogRecord): string {
  return prefixed(record, `${formatTimestamp(record.timestampNs)} `)
}

/** `dmesg -r`: the syslog priority in front. */
export function formatRaw(record: LogRecord): string {
  return prefixed(record, `<${priority(record)}>${formatTimestamp(record.timestampNs)} `)
}

/** A `/dev/kmsg` record: `pri,seq,usec,-;text` with non-printables escaped, then dictionary lines. */
export function formatKmsg(record: LogRecord): string {
  const escaped = Array.from(new TextEncoder().encode(record.text))
    .map((byte) =>
      byte < 0x20 || byte >= 0x7f || byte === 0x5c
        ? `\\x${byte.toString(16).padStart(2, '0')}`
        : String.fromCharCode(byte),
    )
    .join('')
  const header = `${priority(record)},${record.seq},${Math.floor(record.timestampNs / 1000)},-;`
  const dictionary = record.device
    ? `\n SUBSYSTEM=${record.device.subsystem}\n DEVICE=+${record.device.subsystem}:${record.device.name}`
    : ''
  return `${header}${escaped}${dictionary}\n`
}

/** util-linux `dmesg --json`: 3-space indentation, `"time"` keeps its `%5ld.%06ld` padding. */
export function formatJson(records: readonly LogRecord[]): string {
  const entries = records.map((record) => {
    // The same %5lu.%06lu as the text form, without the brackets.
    const time = formatTimestamp(record.timestampNs).slice(1, -1)
    return `{\n         "pri": ${priority(record)},\n         "time": ${time},\n         "msg": ${JSON.stringify(record.text)}\n      }`
  })
  return `{\n   "dmesg": [\n      ${entries.join(',')}\n   ]\n}\n`
}

export type DmesgFormat = 'text' | 'raw' | 'json' | 'kmsg'

export function formatRecords(records: readonly LogRecord[], format: DmesgFormat): string {
  if (format === 'json') return formatJson(records)
  if (format === 'kmsg') return records.map(formatKmsg).join('')
  const line = format === 'raw' ? formatRaw : formatText
  return records.map((record) => line(record) + '\n').join('')
}
