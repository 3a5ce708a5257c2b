import { ERRNO } from '../linux/errno'
import type { Device } from './device'
import { dir, file, type FileNode } from './kernfs/pseudo-file'
import type { Kernel } from './kernel'

/** /sys/bus/<bus>/drivers[/<driver>[/bind|unbind]] (drivers/base/bus.c bind_store, unbind_store). */
export function busDriversFile(
  kernel: Kernel,
  bus: Device['bus'],
  driverName: string | undefined,
  attribute: string | undefined,
): FileNode | undefined {
  const core = kernel.core
  const registered = core.drivers.filter((driver) => driver.def.bus === bus)
  if (!driverName) return dir(() => registered.map((driver) => driver.def.name).sort())
  const driver = registered.find((candidate) => candidate.def.name === driverName)
  if (!driver) return undefined
  const findDevice = (value: string): Device | undefined =>
    core.devices.find((device) => device.bus === bus && device.name === value.trim())
  if (attribute === 'bind')
    return file(
      () => '',
      (value) => {
        const device = findDevice(value)
        return device ? core.bind(driver.def, device) : -ERRNO.ENODEV
      },
    )
  if (attribute === 'unbind')
    return file(
      () => '',
      (value) => {
        const device = findDevice(value)
        if (!device || device.driver !== driver) return -ERRNO.ENODEV
        core.releaseDriver(device)
        return 0
      },
    )
  return dir(() => {
    const bound = core.devices
      .filter((device) => device.driver === driver)
      .map((device) => device.name)
    const module = kernel.modules?.list.some((loaded) => loaded.drivers.includes(driver.def))
    return [...bound, 'bind', ...(module ? ['module'] : []), 'uevent', 'unbind'].sort()
  })
}

/** /sys/bus/<bus>/devices: every device on the bus, and the controllers' own devices (`spmi-0`). */
export function busDevicesDir(kernel: Kernel, bus: Device['bus']): FileNode {
  return dir(() =>
    [
      ...kernel.core.devices.filter((device) => device.bus === bus).map((device) => device.name),
      ...kernel.busControllers.filter((ctrl) => ctrl.bus === bus).map((ctrl) => ctrl.name),
    ].sort(),
  )
}
