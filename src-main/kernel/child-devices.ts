import type { DriverDefinition } from '../catalog/driver-schema'
import type { Device } from './device'
import type { Kernel } from './kernel'
import { i2cAddAdapter } from './i2c'
import { i2cMuxAddAdapters } from './i2c-mux'
import { mfdAddDevices } from './mfd'
import { devmOfPlatformPopulate } from './of-platform'
import { spmiControllerAdd } from './spmi'

/** What undoes one mechanism's children: its remove path, called when the parent unbinds. */
export type RemoveChildren = () => void

/**
 * What a successful probe creates under its device, as the driver's data says its probe does:
 * each mechanism adds its devices, which may probe before the parent's probe returns, and returns
 * how the parent's remove() or devres takes them down again.
 */
const CHILD_MECHANISMS: readonly {
  applies: (def: DriverDefinition) => boolean
  add: (kernel: Kernel, device: Device, def: DriverDefinition) => RemoveChildren
}[] = [
  // spmi_controller_add(): an SPMI device per child (drivers/spmi/spmi.c:539).
  { applies: (def) => def.registersController === 'spmi', add: spmiControllerAdd },
  // i2c_add_adapter(): an I2C client per child (drivers/i2c/i2c-core-of.c:85).
  { applies: (def) => def.registersController === 'i2c', add: i2cAddAdapter },
  // i2c_mux_add_adapter(): an adapter per channel, its node's children clients (i2c-mux.c:270).
  { applies: (def) => def.registersController === 'i2c-mux', add: i2cMuxAddAdapters },
  // devm_mfd_add_devices(): a platform device per cell (drivers/mfd/mfd-core.c:154).
  { applies: (def) => def.mfd !== undefined, add: mfdAddDevices },
  // (devm_)of_platform_populate(): a platform device per child (drivers/of/platform.c:665); plain
  // of_platform_populate() without of_platform_depopulate() leaves them when the parent unbinds.
  {
    applies: (def) => def.populatesChildren === true,
    add: (kernel, device, def) => {
      const remove = devmOfPlatformPopulate(kernel, device)
      return def.keepsChildren ? () => {} : remove
    },
  },
]

/** Each bound device's remove paths, in the order its probe set them up. */
const removals = new WeakMap<Device, RemoveChildren[]>()

export function addChildDevices(kernel: Kernel, device: Device, def: DriverDefinition): void {
  const list: RemoveChildren[] = []
  removals.set(device, list)
  for (const mechanism of CHILD_MECHANISMS)
    if (mechanism.applies(def)) list.push(mechanism.add(kernel, device, def))
}

/**
 * The parent unbinds: devres_release_all() runs the releases in reverse order of their
 * registration (drivers/base/devres.c:503 release_nodes()), as a driver's own remove() undoes its
 * probe backwards (spmi_pmic_arb_remove(), mfd_remove_devices()).
 */
export function removeChildDevices(device: Device): void {
  const list = removals.get(device)
  if (!list) return
  removals.delete(device)
  for (const remove of list.reverse()) remove()
}
