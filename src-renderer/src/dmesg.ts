import type { KernelRecord } from '@api/contract'

export { DMESG_LEVEL_NAMES as LEVEL_NAMES } from '@linux/log-levels'

export function formatLine(record: KernelRecord, timestamps: boolean): string {
  return timestamps ? `${record.stamp} ${record.text}` : record.text
}
