/**
 * The printk log levels (include/linux/kern_levels.h): the number is the level, the name the
 * KERN_* suffix in lower case as driver data spells it. util-linux `dmesg --level` spells
 * KERN_WARNING `warn` (DMESG_LEVEL_NAMES).
 */
export const LOG_LEVEL_NAMES = [
  'emerg',
  'alert',
  'crit',
  'err',
  'warning',
  'notice',
  'info',
  'debug',
] as const

export type LogLevelName = (typeof LOG_LEVEL_NAMES)[number]

export const LOGLEVEL = {
  EMERG: 0,
  ALERT: 1,
  CRIT: 2,
  ERR: 3,
  WARNING: 4,
  NOTICE: 5,
  INFO: 6,
  DEBUG: 7,
} as const

export type LogLevel = (typeof LOGLEVEL)[keyof typeof LOGLEVEL]

/** The level a name stands for: `err` is 3. */
export function logLevelOf(name: LogLevelName): LogLevel {
  return LOG_LEVEL_NAMES.indexOf(name) as LogLevel
}

/** util-linux dmesg's names for the levels (`dmesg --level`, the console's level filter). */
export const DMESG_LEVEL_NAMES = [
  'emerg',
  'alert',
  'crit',
  'err',
  'warn',
  'notice',
  'info',
  'debug',
] as const
