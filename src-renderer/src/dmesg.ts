import type { KernelRecord } from '@api/contract'

export const LEVEL_NAMES = [
  'emerg',
  'alert',
  'crit',
  'err',
  'warn',
  'notice',
  'info',
  'debug',
] as const

export function formatLine(record: KernelRecord, timestamps: boolean): string {
  return timestamps ? `${record.stamp} ${record.text}` : record.text
}
