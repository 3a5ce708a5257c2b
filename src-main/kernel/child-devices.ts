import type { DriverDefinition } from '../catalog/driver-schema'
import type { Device } from './device'
import type { Kernel } from './kernel'
import { i2cAddAdapter } from './i2c'
import { mfdAddDevices } from './mfd'
import { ofPlatformPopulate } from './of-platform'
import { spmiControllerAdd } from './spmi'

/**
 * What a successful probe creates under its device, as the driver's data says its probe does:
 * each mechanism adds its devices, which may probe before the parent's probe returns.
 */
const CHILD_MECHANISMS: readonly {
  applies: (def: DriverDefinition) => boolean
  add: (kernel: Kernel, device: Device, def: DriverDefinition) => void
}[] = [
  // spmi_controller_add(): an SPMI device per child (drivers/spmi/spmi.c:539).
  { applies: (def) => def.registersController === 'spmi', add: spmiControllerAdd },
  // i2c_add_adapter(): an I2C client per child (drivers/i2c/i2c-core-of.c:85).
  { applies: (def) => def.registersController === 'i2c', add: i2cAddAdapter },
  // devm_mfd_add_devices(): a platform device per cell (drivers/mfd/mfd-core.c:154).
  { applies: (def) => def.mfd !== undefined, add: mfdAddDevices },
  // devm_of_platform_populate(): a platform device per child (drivers/of/platform.c).
  {
    applies: (def) => def.populatesChildren === true,
    add: (kernel, device) => ofPlatformPopulate(kernel, device.of),
  },
]

export function addChildDevices(kernel: Kernel, device: Device, def: DriverDefinition): void {
  for (const mechanism of CHILD_MECHANISMS)
    if (mechanism.applies(def)) mechanism.add(kernel, device, def)
}
