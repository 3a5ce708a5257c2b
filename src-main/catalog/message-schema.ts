import { z } from 'zod'
import { LOG_LEVEL_NAMES } from '../linux/log-levels'

export const LogLevelName = z.enum(LOG_LEVEL_NAMES)

export const Message = z
  .object({
    level: LogLevelName.default('info'),
    text: z.string(),
    /** Printed with dev_printk: `<driver> <device>: text`. */
    dev: z.boolean().default(false),
    /** Simulated time spent before the line is printed. */
    us: z.number().nonnegative().optional(),
    /** Printed only when this template value is set and not 0 (a condition the kernel tests). */
    if: z.string().optional(),
  })
  .strict()
export type Message = z.infer<typeof Message>
