import type { Device } from './device'
import { deviceLinksPurge } from './fw-devlink'
import type { Kernel } from './kernel'

/**
 * device_unregister() -> device_del() (drivers/base/core.c:3917) of a device its parent created:
 * bus_remove_device() unbinds it (its consumers first, then its driver's remove, which takes its
 * own children down), driver_deferred_probe_del(), device_links_purge(), then KOBJ_REMOVE and the
 * sysfs entries go (kobject_del()). The caller clears what its bus marked on the node (OF_POPULATED).
 */
export function deviceDel(kernel: Kernel, device: Device): void {
  if (kernel.core.deviceOf(device.of) !== device) return
  kernel.core.deleteDevice(device)
  deviceLinksPurge(kernel, device)
  kernel.deviceEvents.push({
    ns: kernel.timekeeping.schedClockNs(),
    device: device.name,
    state: 'no-driver',
    detail: 'deleted',
  })
}

/** device_unregister() of each in turn, clearing OF_POPULATED on their nodes. */
export function unregisterDevices(kernel: Kernel, devices: readonly Device[]): void {
  for (const device of devices) {
    deviceDel(kernel, device)
    kernel.populatedNodes.delete(device.of)
  }
}
