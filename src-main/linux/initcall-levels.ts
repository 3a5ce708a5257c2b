/** The initcall sections in the order the kernel runs them (include/asm-generic/vmlinux.lds.h). */
export const INITCALL_SECTIONS = [
  'console',
  'early',
  'pure',
  'pure_sync',
  'core',
  'core_sync',
  'postcore',
  'postcore_sync',
  'arch',
  'arch_sync',
  'subsys',
  'subsys_sync',
  'fs',
  'fs_sync',
  'rootfs',
  'device',
  'device_sync',
  'late',
  'late_sync',
] as const

export type InitcallSection = (typeof INITCALL_SECTIONS)[number]
