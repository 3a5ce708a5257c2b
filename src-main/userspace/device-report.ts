import type { DriverDefinition } from '../catalog/driver-schema'
import type { Device } from '../kernel/driver-core'
import { ofModalias } from './modalias'
import { lookup } from './modprobe'
import type { System } from './system'

/** Which driver of the build matches a device, and how it gets into the kernel. */
export type DeviceMatch =
  | { kind: 'builtin'; driver: string; module: string }
  /** Compiled into the image's *_OF_DECLARE table: it runs early, with no struct device. */
  | { kind: 'of_declare'; driver: string; module: string; table: string }
  | { kind: 'module'; modules: string[]; driver?: string }
  | { kind: 'none' }

export interface DeviceReport {
  name: string
  path: string
  bus: string
  modalias: string
  state: Device['state']
  driver?: string
  match: DeviceMatch
  deferReason?: string
  errno?: number
  suppliers: string[]
  waitingFor: string[]
}

const overlaps = (def: DriverDefinition, device: Device) =>
  def.compatible.some((compatible) => device.of.compatible.includes(compatible))

/**
 * What `udevadm info` and the bus's sysfs tell about each device: its modalias, the driver that
 * matches it (a built-in one, an *_OF_DECLARE, or the modules kmod resolves its modalias to), its state.
 */
export function deviceReport(system: System): DeviceReport[] {
  const kernel = system.kernel
  const drivers = kernel.inputs.profile.drivers
  const moduleOfDriver = (def: DriverDefinition) => def.module
  return kernel.core.devices.map((device) => {
    const modalias = ofModalias(device.of)
    return {
      name: device.name,
      path: device.of.path,
      bus: device.bus,
      modalias,
      state: device.state,
      ...(device.driver ? { driver: device.driver.def.name } : {}),
      match: matchOf(system, device, modalias, drivers, moduleOfDriver),
      ...(device.deferReason ? { deferReason: device.deferReason } : {}),
      ...(device.errno ? { errno: device.errno } : {}),
      suppliers: device.suppliers.map((link) => link.supplier.name),
      waitingFor: device.waitingFor.map((ref) => ref.supplier.path),
    }
  })
}

function matchOf(
  system: System,
  device: Device,
  modalias: string,
  drivers: readonly DriverDefinition[],
  moduleOf: (def: DriverDefinition) => string,
): DeviceMatch {
  const kernel = system.kernel
  const bound = device.driver?.def
  if (bound && kernel.isBuiltIn(bound))
    return { kind: 'builtin', driver: bound.name, module: moduleOf(bound) }
  if (bound) return { kind: 'module', modules: [moduleOf(bound)], driver: bound.name }
  const builtin = kernel.core.driversMatching(device)[0]?.def
  if (builtin && kernel.isBuiltIn(builtin))
    return { kind: 'builtin', driver: builtin.name, module: moduleOf(builtin) }
  if (kernel.timerNodes.has(device.of)) {
    const declared = drivers.find(
      (def) =>
        def.registration.kind === 'of_declare' &&
        def.registration.table === 'timer' &&
        kernel.isBuiltIn(def) &&
        overlaps(def, device),
    )
    if (declared)
      return {
        kind: 'of_declare',
        driver: declared.name,
        module: moduleOf(declared),
        table: 'timer',
      }
  }
  const found = lookup(system, modalias)
  if (found.kind === 'modules') {
    const modules = found.files.map((file) => file.def.name)
    const driver = drivers.find((def) => modules.includes(def.module) && overlaps(def, device))
    return { kind: 'module', modules, ...(driver ? { driver: driver.name } : {}) }
  }
  return { kind: 'none' }
}
