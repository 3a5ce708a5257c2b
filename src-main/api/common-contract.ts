/**
 * The request fields several areas of the API contract share: ids, the kernel command line, patch
 * series names.
 */
import { z } from 'zod'

export const NoArguments = z.object({}).strict()

export const ResourceId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{0,63}$/, 'an id of lowercase letters, digits, dots and dashes')

// arm64's COMMAND_LINE_SIZE is 2048 bytes, the terminating NUL included.
export const Bootargs = z
  .string()
  .max(2047, 'the kernel command line is limited to 2047 characters (COMMAND_LINE_SIZE)')

export const SeriesNames = z
  .array(
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'a series name such as mediatek-2023-timer-modules'),
  )
  .max(16)
  .default([])
