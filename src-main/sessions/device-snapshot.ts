import type { Device } from '../kernel/driver-core'
import type { Kernel } from '../kernel/kernel'

/** Plain data about every device of a booted kernel, for the devices panel and the API. */
export function deviceSnapshot(kernel: Kernel) {
  const history = new Map<string, { ns: number; state: Device['state']; detail?: string }[]>()
  for (const { device, ...event } of kernel.deviceEvents) {
    const list = history.get(device) ?? []
    list.push(event)
    history.set(device, list)
  }
  return kernel.core.devices.map((device: Device) => ({
    name: device.name,
    bus: device.bus,
    path: device.of.path,
    compatible: device.of.compatible,
    state: device.state,
    ...(device.driver ? { driver: device.driver.def.name } : {}),
    ...(device.deferReason ? { deferReason: device.deferReason } : {}),
    ...(device.errno ? { errno: device.errno } : {}),
    ...declaredBy(kernel, device),
    suppliers: device.suppliers.map((link) => ({
      device: link.supplier.name,
      property: link.property,
      relaxed: link.relaxed,
    })),
    consumers: device.consumers.map((link) => ({
      device: link.consumer.name,
      property: link.property,
      relaxed: link.relaxed,
    })),
    waitingFor: device.waitingFor.map((ref) => ref.supplier.path),
    history: history.get(device.name) ?? [],
  }))
}

/** Timers keep their device after timer_probe() initialised them: name the driver that did. */
function declaredBy(kernel: Kernel, device: Device) {
  if (!kernel.timerNodes.has(device.of)) return {}
  const timers = kernel.inputs.profile.drivers.filter(
    (def) => def.registration.kind === 'of_declare' && def.registration.table === 'timer',
  )
  for (const compatible of device.of.compatible) {
    const def = timers.find((candidate) => candidate.compatible.includes(compatible))
    if (def) return { initializedBy: { driver: def.name, table: 'TIMER_OF_DECLARE' } }
  }
  return {}
}
