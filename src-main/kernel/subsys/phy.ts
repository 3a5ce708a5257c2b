import { phandleArgsClass } from './resource-types'

/** Generic PHYs: a phandle to a PHY whose provider has not registered is -EPROBE_DEFER (drivers/phy/phy-core.c:644). */
export const phyResource = phandleArgsClass(
  'phy',
  'phys',
  '#phy-cells',
  'defer',
  'drivers/phy/phy-core.c:644',
)
