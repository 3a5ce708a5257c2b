import type { DriverDefinition } from '../catalog/driver-schema'
import type { Device } from '../kernel/device'
import type { ResourceUse } from '../kernel/resources'
import { ambaLookup } from '../kernel/amba-bus'
import { deviceModalias } from './modalias'
import { lookup } from './modprobe'
import type { System } from './system'
import { whyUnbound } from './why-unbound'

/** Which driver of the build matches a device, and how it gets into the kernel. */
export type DeviceMatch =
  | { kind: 'builtin'; driver: string; module: string }
  /** Compiled into the image's *_OF_DECLARE table: it runs early, with no struct device. */
  | { kind: 'of_declare'; driver: string; module: string; table: string }
  | { kind: 'module'; modules: string[]; driver?: string }
  | { kind: 'none' }

/** A fw_devlink device link to a supplier, as /sys/class/devlink shows it. */
export interface SupplierReport {
  device: string
  /** The consumer node's property that names the supplier (`clocks`, `gpios`, `interrupts`...). */
  property: string
  /** Relaxed (a cycle, the deferred-probe timeout): the link no longer holds the probe back. */
  relaxed: boolean
  state: Device['state']
}

/** A resource a probe took or waits for: a clock, reset, regulator, GPIO... from its provider. */
export type ResourceReport = ResourceUse

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
  suppliers: SupplierReport[]
  /** fwnode links to supplier nodes that have no device yet: the node and the property naming it. */
  waitingFor: { node: string; property: string }[]
  /** What the last probe took or waits for from each provider the node names. */
  resources?: ResourceReport[]
  /** Why it is not bound, in words (whyUnbound); absent for a bound device. */
  why?: string
}

/** The driver's OF table names one of the node's compatibles. */
const overlaps = (def: DriverDefinition, device: Device) =>
  def.compatible.some((compatible) => device.of.compatible.includes(compatible))

/** The driver matches the device on its bus: by compatible, or on the AMBA bus by peripheral ID. */
const busMatches = (def: DriverDefinition, device: Device) =>
  device.bus === 'amba'
    ? device.periphid !== undefined && ambaLookup(def.amba ?? [], device.periphid) !== undefined
    : overlaps(def, device)

/**
 * What `udevadm info` and the bus's sysfs tell about each device: its modalias, the driver that
 * matches it (a built-in one, an *_OF_DECLARE, or the modules kmod resolves its modalias to), its
 * state, its suppliers (device links), the nodes it waits for and the resources its probe took.
 */
export function deviceReport(system: System): DeviceReport[] {
  const kernel = system.kernel
  const drivers = kernel.inputs.profile.drivers
  return kernel.core.devices.map((device) => {
    const modalias = deviceModalias(device) ?? ''
    const match = matchOf(system, device, modalias, drivers)
    const why = whyUnbound(system, device, match)
    return {
      name: device.name,
      path: device.of.path,
      bus: device.bus,
      modalias,
      state: device.state,
      ...(device.driver ? { driver: device.driver.def.name } : {}),
      match,
      ...(device.deferReason ? { deferReason: device.deferReason } : {}),
      ...(device.errno ? { errno: device.errno } : {}),
      suppliers: device.suppliers.map((link) => ({
        device: link.supplier.name,
        property: link.property,
        relaxed: link.relaxed,
        state: link.supplier.state,
      })),
      waitingFor: device.waitingFor.map((ref) => ({
        node: ref.supplier.path,
        property: ref.property,
      })),
      ...(device.resources ? { resources: device.resources } : {}),
      ...(why ? { why } : {}),
    }
  })
}

function matchOf(
  system: System,
  device: Device,
  modalias: string,
  drivers: readonly DriverDefinition[],
): DeviceMatch {
  const kernel = system.kernel
  const bound = device.driver?.def
  if (bound && kernel.isBuiltIn(bound))
    return { kind: 'builtin', driver: bound.name, module: bound.module }
  if (bound) return { kind: 'module', modules: [bound.module], driver: bound.name }
  const builtin = kernel.core.driversMatching(device)[0]?.def
  if (builtin && kernel.isBuiltIn(builtin))
    return { kind: 'builtin', driver: builtin.name, module: builtin.module }
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
        module: declared.module,
        table: 'timer',
      }
  }
  const found = modalias ? lookup(system, modalias) : { kind: 'none' as const }
  if (found.kind === 'modules') {
    const modules = found.files.map((file) => file.def.name)
    const driver = drivers.find((def) => modules.includes(def.module) && busMatches(def, device))
    return { kind: 'module', modules, ...(driver ? { driver: driver.name } : {}) }
  }
  return { kind: 'none' }
}
