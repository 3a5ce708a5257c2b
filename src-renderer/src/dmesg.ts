import type { KernelRecord } from '@api/contract'

export { DMESG_LEVEL_NAMES as LEVEL_NAMES } from '@linux/log-levels'

export function formatLine(record: KernelRecord, timestamps: boolean): string {
  return timestamps ? `${record.stamp} ${record.text}` : record.text
}

/**
 * The seq of a line another view named by its place in a dmesg (1-based) and its text: the record
 * with that text nearest the place, among the first `shown` records (a boot of the same inputs
 * prints the same lines, but a late one may move).
 */
export function findLine(
  records: readonly KernelRecord[],
  shown: number,
  line: { line: number; text: string },
): number | undefined {
  let best: KernelRecord | undefined
  for (let i = 0; i < Math.min(shown, records.length); i++) {
    const record = records[i] as KernelRecord
    if (record.text !== line.text) continue
    if (!best || Math.abs(i - (line.line - 1)) < Math.abs(records.indexOf(best) - (line.line - 1)))
      best = record
  }
  return best?.seq
}
