import type { BusName, DriverDefinition } from '../catalog/driver-schema'
import { ambaLookup } from './amba-bus'
import type { Device, RuntimeDriver } from './device'

/**
 * drivers/base/bus.c: each bus's devices and drivers (its klists), and which drivers match a
 * device (bus_for_each_drv() asking the bus's match()).
 */
export class BusLists {
  readonly devices: Device[] = []
  readonly drivers: RuntimeDriver[] = []
  /** The AMBA bus's devices, in the order it walks them. */
  readonly ambaDevices: Device[] = []
  private readonly devicesByCompatible = new Map<string, Device[]>()
  private readonly driversByCompatible = new Map<string, RuntimeDriver[]>()
  /** Devices by bus and id name, drivers by bus and the id names they bind (idNames()). */
  private readonly devicesByIdName = new Map<string, Device[]>()
  private readonly driversByIdName = new Map<string, RuntimeDriver[]>()
  private readonly matchCache = new Map<Device, { generation: number; drivers: RuntimeDriver[] }>()
  /** Bumped whenever a driver registers or unregisters: cached matches are stale after it. */
  private generation = 0
  private nextOrder = 0

  /** bus_add_device(). */
  addDevice(device: Device): void {
    this.devices.push(device)
    if (device.bus === 'amba') this.ambaDevices.push(device)
    for (const compatible of device.of.compatible) add(this.devicesByCompatible, compatible, device)
    if (device.idName !== undefined)
      add(this.devicesByIdName, idKey(device.bus, device.idName), device)
  }

  /** bus_remove_device(): off the bus's lists and indexes. */
  removeDevice(device: Device): void {
    this.matchCache.delete(device)
    const without = (list: Device[] | undefined) => {
      const at = list?.indexOf(device) ?? -1
      if (list && at >= 0) list.splice(at, 1)
    }
    without(this.devices)
    without(this.ambaDevices)
    for (const compatible of device.of.compatible) without(this.devicesByCompatible.get(compatible))
    if (device.idName !== undefined)
      without(this.devicesByIdName.get(idKey(device.bus, device.idName)))
  }

  /** bus_add_driver(): onto the bus's list, and the devices it may match, in bus order. */
  addDriver(def: DriverDefinition): { driver: RuntimeDriver; candidates: Device[] } {
    const driver: RuntimeDriver = { def, order: this.nextOrder++ }
    this.drivers.push(driver)
    this.generation += 1
    // __driver_attach() over the whole AMBA bus: amba_match() reads IDs as it goes.
    if (def.bus === 'amba') return { driver, candidates: this.ambaDevices }
    const candidates = new Set<Device>()
    for (const compatible of def.compatible) {
      add(this.driversByCompatible, compatible, driver)
      for (const device of this.devicesByCompatible.get(compatible) ?? []) candidates.add(device)
    }
    for (const name of idNames(def)) {
      const key = idKey(def.bus, name)
      add(this.driversByIdName, key, driver)
      for (const device of this.devicesByIdName.get(key) ?? []) candidates.add(device)
    }
    const ordered = [...candidates]
      .filter((device) => device.bus === def.bus)
      .sort((a, b) => a.index - b.index)
    return { driver, candidates: ordered }
  }

  /** bus_remove_driver(). */
  removeDriver(driver: RuntimeDriver): void {
    const { def } = driver
    this.drivers.splice(this.drivers.indexOf(driver), 1)
    for (const compatible of def.bus === 'amba' ? [] : def.compatible)
      remove(this.driversByCompatible, compatible, driver)
    for (const name of idNames(def)) remove(this.driversByIdName, idKey(def.bus, name), driver)
    this.generation += 1
  }

  /** A bus's drivers in registration order. */
  driversOn(bus: BusName): RuntimeDriver[] {
    return this.drivers.filter((d) => d.def.bus === bus).sort((a, b) => a.order - b.order)
  }

  /** The drivers that match a device, in bus registration order (bus_for_each_drv). */
  matchingDrivers(device: Device): RuntimeDriver[] {
    // Retries of deferred devices ask again and again; the answer changes only when a driver registers.
    if (device.bus === 'amba') return this.findMatchingDrivers(device)
    const cached = this.matchCache.get(device)
    if (cached && cached.generation === this.generation) return cached.drivers
    const drivers = this.findMatchingDrivers(device)
    this.matchCache.set(device, { generation: this.generation, drivers })
    return drivers
  }

  private findMatchingDrivers(device: Device): RuntimeDriver[] {
    // The AMBA bus matches by the ID read so far; reading it is amba_match()'s, in a probe walk.
    if (device.bus === 'amba') {
      const periphid = device.periphid
      if (periphid === undefined) return []
      return this.driversOn('amba').filter((d) => ambaLookup(d.def.amba ?? [], periphid))
    }
    const found = new Set<RuntimeDriver>()
    for (const compatible of device.of.compatible) {
      for (const driver of this.driversByCompatible.get(compatible) ?? []) {
        if (driver.def.bus === device.bus) found.add(driver)
      }
    }
    if (device.idName !== undefined)
      for (const driver of this.driversByIdName.get(idKey(device.bus, device.idName)) ?? [])
        found.add(driver)
    return [...found].sort((a, b) => a.order - b.order)
  }
}

function add<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key) ?? []
  list.push(value)
  map.set(key, list)
}

function remove<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key) ?? []
  map.set(
    key,
    list.filter((candidate) => candidate !== value),
  )
}

const idKey = (bus: string, name: string) => `${bus}\0${name}`

/**
 * The names a driver binds a device's id name by. platform_match() (drivers/base/platform.c:1325,
 * 1329): its id_table's, else its own name, whether or not it has an OF table. i2c_device_match() (drivers/i2c/i2c-core-base.c:140): its
 * id_table's, and its OF table's compatibles, whole or after the vendor's comma
 * (i2c_of_match_device_sysfs(), drivers/i2c/i2c-core-of.c:117). Devices the tree creates on the
 * platform bus have no name to compare.
 */
function idNames(def: DriverDefinition): readonly string[] {
  if (def.bus === 'platform') return def.ids ?? [def.name]
  if (def.bus === 'i2c')
    return [
      ...new Set([
        ...(def.ids ?? []),
        ...def.compatible.flatMap((c) => [c, c.slice(c.indexOf(',') + 1)]),
      ]),
    ]
  return []
}
