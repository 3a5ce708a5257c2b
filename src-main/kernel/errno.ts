/** The errno values the simulation uses (include/uapi/asm-generic/errno-base.h, linux/errno.h). */
export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  EIO: 5,
  ENXIO: 6,
  ENOEXEC: 8,
  EAGAIN: 11,
  ENOMEM: 12,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  ENODEV: 19,
  EINVAL: 22,
  ENOSPC: 28,
  ENOSYS: 38,
  ETIMEDOUT: 110,
  EPROBE_DEFER: 517,
} as const

export type ErrnoName = keyof typeof ERRNO

export function errnoValue(name: ErrnoName): number {
  return ERRNO[name]
}
