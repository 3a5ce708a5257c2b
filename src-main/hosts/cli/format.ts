/** Left-aligned text columns; columns named in `right` are right-aligned (numbers). */
export function table(headers: string[], rows: string[][], right: number[] = []): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  )
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0
        return right.includes(column) ? cell.padStart(width) : cell.padEnd(width)
      })
      .join('  ')
      .trimEnd()
  return [line(headers), ...rows.map(line)].join('\n') + '\n'
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1 && value % 1024 === 0) {
    value /= 1024
    unit += 1
  }
  return `${value} ${units[unit]}`
}

/** `2026-11-22T06:30:01.123Z` → `2026-11-22 06:30:01` (UTC). */
export function formatTimestamp(iso: string): string {
  return iso
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '')
    .replace(/Z$/, '')
}

/** The `--json` option every listing command takes. */
export const json = { json: { type: 'boolean', default: false } } as const

export function asJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n'
}
