import { phandleArgsClass } from './resource-types'

/** Reset controllers: no rcdev for the node yet is -EPROBE_DEFER (drivers/reset/core.c:1055). */
export const resetResource = phandleArgsClass(
  'reset',
  'resets',
  '#reset-cells',
  'defer',
  'drivers/reset/core.c:1055',
)
