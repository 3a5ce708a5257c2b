import { phandleArgsClass } from './resource-types'

/** Interconnect paths: a provider not registered yet is -EPROBE_DEFER (drivers/interconnect/core.c:377 of_icc_get_from_provider). */
export const interconnectResource = phandleArgsClass(
  'interconnect',
  'interconnects',
  '#interconnect-cells',
  'defer',
  'drivers/interconnect/core.c:377',
)
