import type { DeviceInfo } from '../api/contract'
import type { Device } from '../kernel/device'
import { deviceReport, type DeviceReport } from '../userspace/device-report'
import type { System } from '../userspace/system'

/**
 * Plain data about every device of a booted system, for the devices panel and the API: its state
 * and history from the kernel, its OF modalias and the driver that matches it as `modlab devices`
 * reports them.
 */
export function deviceSnapshot(system: System): DeviceInfo[] {
  const kernel = system.kernel
  const history = new Map<string, { ns: number; state: Device['state']; detail?: string }[]>()
  for (const { device, ...event } of kernel.deviceEvents) {
    const list = history.get(device) ?? []
    list.push(event)
    history.set(device, list)
  }
  // deviceReport walks kernel.core.devices in the same order.
  const reports = deviceReport(system)
  return kernel.core.devices.map((device: Device, index) => {
    const report = reports[index]
    return {
      name: device.name,
      bus: device.bus,
      path: device.of.path,
      compatible: device.of.compatible,
      modalias: report?.modalias ?? '',
      match: report?.match ?? { kind: 'none' },
      state: device.state,
      ...(device.driver ? { driver: device.driver.def.name } : {}),
      ...(device.deferReason ? { deferReason: device.deferReason } : {}),
      ...(device.errno ? { errno: device.errno } : {}),
      ...declaredBy(report),
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
      resources: device.resources ?? [],
      ...(report?.why ? { why: report.why } : {}),
      history: history.get(device.name) ?? [],
    }
  })
}

/** Timers keep their device after timer_probe() initialised them: name the driver that did. */
function declaredBy(report: DeviceReport | undefined) {
  const match = report?.match
  if (match?.kind !== 'of_declare') return {}
  return {
    initializedBy: { driver: match.driver, table: `${match.table.toUpperCase()}_OF_DECLARE` },
  }
}
