/** The errno values the simulation uses (include/uapi/asm-generic/errno-base.h, linux/errno.h). */
export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  EIO: 5,
  ENXIO: 6,
  ENOEXEC: 8,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  ENODEV: 19,
  EINVAL: 22,
  ENOSPC: 28,
  ERANGE: 34,
  ENOSYS: 38,
  ETIMEDOUT: 110,
  EKEYREJECTED: 129,
  EPROBE_DEFER: 517,
} as const

export type ErrnoName = keyof typeof ERRNO

export function errnoValue(name: ErrnoName): number {
  return ERRNO[name]
}

/** strerror() of glibc, for the errors userspace tools print. */
export const STRERROR: Record<number, string> = {
  1: 'Operation not permitted',
  2: 'No such file or directory',
  3: 'No such process',
  5: 'Input/output error',
  6: 'No such device or address',
  8: 'Exec format error',
  11: 'Resource temporarily unavailable',
  12: 'Cannot allocate memory',
  13: 'Permission denied',
  14: 'Bad address',
  16: 'Device or resource busy',
  17: 'File exists',
  19: 'No such device',
  22: 'Invalid argument',
  28: 'No space left on device',
  34: 'Numerical result out of range',
  38: 'Function not implemented',
  110: 'Connection timed out',
  129: 'Key was rejected by service',
}

export function strerror(errno: number): string {
  return STRERROR[Math.abs(errno)] ?? `Unknown error ${Math.abs(errno)}`
}
