import type { BusName, DriverDefinition } from '../catalog/driver-schema'
import { ERRNO } from '../linux/errno'
import { ambaLookup, type PeriphidProblem } from './amba-bus'
import type { ResourceUse } from './resources'
import { DeferredProbe } from './deferred-probe'
import { deviceLinksCheckSuppliers, type SupplierRef } from './fw-devlink'
import type { OfNode } from './of-tree'
import type { TraceBuffer } from './trace'

export type { BusName } from '../catalog/driver-schema'

export type DeviceState = 'no-driver' | 'bound' | 'deferred' | 'failed'

export interface DeviceLink {
  supplier: Device
  consumer: Device
  property: string
  /** Relaxed links (cycles, fw_devlink_drivers_done, permissive mode) never block a probe. */
  relaxed: boolean
}

export interface Device {
  /** Creation order: the order the bus walks its devices in. */
  index: number
  name: string
  bus: BusName
  of: OfNode
  driver?: RuntimeDriver
  state: DeviceState
  /** What devices_deferred shows: `<driver or bus>: <reason>`. */
  deferReason?: string
  /** The errno of the last failed probe. */
  errno?: number
  /** A driver matched it at some point (dev->can_match). */
  canMatch: boolean
  suppliers: DeviceLink[]
  consumers: DeviceLink[]
  /** fwnode links to supplier nodes that have no device (yet). */
  waitingFor: SupplierRef[]
  virqs?: number[]
  /** What the last probe took, or waits for, from each provider the node names. */
  resources?: ResourceUse[]
  /** An AMBA device's peripheral ID (struct amba_device periphid), once known. */
  periphid?: number
  /** Why the last amba_read_periphid() could not tell it. */
  periphidProblem?: PeriphidProblem
  /**
   * The name the bus compares with its drivers' id tables: struct platform_device .name when not
   * empty (an MFD cell's; OF-created platform devices have none, of_device_alloc(),
   * drivers/of/platform.c:115), an I2C client's .name (its type).
   */
  idName?: string
  /** Added with no firmware node (an MFD cell without one): `of` is an empty node in no tree. */
  noNode?: true
}

export interface RuntimeDriver {
  def: DriverDefinition
  /** Registration order on its bus. */
  order: number
}

/** What a probe call decided, from the driver's definition (and any injected fault). */
export type ProbeOutcome = { ret: 0 } | { ret: number; reason?: string }

/** The hooks the core needs from the rest of the kernel. */
export interface DriverCoreHost {
  /** The bus's match() for an AMBA device: 1, 0, or -EPROBE_DEFER (amba-bus.ts ambaMatch). */
  ambaMatch(device: Device, driver: DriverDefinition): number
  /** Runs the driver's probe effects; returns 0 or a negative errno. */
  callProbe(device: Device, driver: RuntimeDriver): ProbeOutcome
  devPrintk(level: 'info' | 'warning' | 'err', device: Device, text: string): void
  printk(level: 'info' | 'warning', text: string): void
  /** dev_dbg()/pr_debug(): compiled out unless dynamic debug enables them. */
  devDbg(device: Device, text: string): void
  prDebug(text: string): void
  /** really_probe_debug() under initcall_debug: what really_probe() returned and how long it took. */
  probeReturned(device: Device, ret: number, startNs: number): void
  now(): number
  /** A device appeared or changed state: the Lab replays these as the boot is shown. */
  stateChanged(device: Device): void
  /** driver_register() finished: the deferred-probe timeout is pushed back. */
  driverRegistered(): void
  /** A driver bound (or let go of) the device: the providers its node describes come (or go). */
  providersChanged(device: Device, bound: boolean): void
  /** device_remove(), then devres: what the driver's probe created under the device goes. */
  removeChildren(device: Device): void
  /** Where probes and deferrals are recorded for the boot timeline. */
  readonly trace: TraceBuffer
  /** fw_devlink=off/permissive/on and whether version-specific wording applies. */
  linksBlock: boolean
  deferredReasonInPending: boolean
  deferredPendingLevel: 'info' | 'warning'
  /** call_driver_probe() reports through dev_err()/dev_dbg() rather than pr_warn()/pr_debug(). */
  probeErrorsAsDevPrintk: boolean
}

/** drivers/base: buses, matching, really_probe, the deferred probe lists. */
export class DriverCore {
  readonly devices: Device[] = []
  /** The AMBA bus's devices, in the order it walks them. */
  private readonly ambaDevices: Device[] = []
  private readonly devicesByNode = new Map<OfNode, Device>()
  private readonly devicesByCompatible = new Map<string, Device[]>()
  private readonly driversByCompatible = new Map<string, RuntimeDriver[]>()
  /** Devices by bus and id name, drivers by bus and the id names they bind (idNames()). */
  private readonly devicesByIdName = new Map<string, Device[]>()
  private readonly driversByIdName = new Map<string, RuntimeDriver[]>()
  readonly drivers: RuntimeDriver[] = []
  private readonly deferred: DeferredProbe

  constructor(private readonly host: DriverCoreHost) {
    this.deferred = new DeferredProbe(host, (device) => this.deviceAttach(device))
  }

  get initcallsDone(): boolean {
    return this.deferred.initcallsDone
  }

  get timeoutExpired(): boolean {
    return this.deferred.timeoutExpired
  }

  /** device_add() + bus_probe_device(): matched against the drivers registered so far. */
  addDevice(device: Device): void {
    this.devices.push(device)
    if (device.bus === 'amba') this.ambaDevices.push(device)
    this.devicesByNode.set(device.of, device)
    this.host.stateChanged(device)
    for (const compatible of device.of.compatible) {
      const list = this.devicesByCompatible.get(compatible) ?? []
      list.push(device)
      this.devicesByCompatible.set(compatible, list)
    }
    if (device.idName !== undefined) {
      const key = idKey(device.bus, device.idName)
      const list = this.devicesByIdName.get(key) ?? []
      list.push(device)
      this.devicesByIdName.set(key, list)
    }
  }

  /** The device created for a node, if any. */
  deviceOf(node: OfNode): Device | undefined {
    return this.devicesByNode.get(node)
  }

  probeNewDevice(device: Device): void {
    this.deviceAttach(device)
  }

  /** driver_register() + driver_attach(): every unbound device on the bus that matches, in bus order. */
  registerDriver(def: DriverDefinition): void {
    const driver: RuntimeDriver = { def, order: this.nextOrder++ }
    this.drivers.push(driver)
    this.generation += 1
    if (def.bus === 'amba') {
      // __driver_attach() over the whole bus: amba_match() reads IDs as it goes.
      for (const device of this.ambaDevices) {
        if (device.driver) continue
        const ret = this.host.ambaMatch(device, def)
        if (ret === -ERRNO.EPROBE_DEFER) this.matchDeferred(device)
        else if (ret > 0) this.driverProbeDevice(driver, device)
      }
      this.host.driverRegistered()
      return
    }
    const candidates = new Set<Device>()
    for (const compatible of driver.def.compatible) {
      const list = this.driversByCompatible.get(compatible) ?? []
      list.push(driver)
      this.driversByCompatible.set(compatible, list)
      for (const device of this.devicesByCompatible.get(compatible) ?? []) candidates.add(device)
    }
    for (const name of idNames(def)) {
      const key = idKey(def.bus, name)
      const list = this.driversByIdName.get(key) ?? []
      list.push(driver)
      this.driversByIdName.set(key, list)
      for (const device of this.devicesByIdName.get(key) ?? []) candidates.add(device)
    }
    const ordered = [...candidates]
      .filter((device) => device.bus === driver.def.bus)
      .sort((a, b) => a.index - b.index)
    for (const device of ordered) {
      if (device.driver) continue
      this.driverProbeDevice(driver, device)
    }
    this.host.driverRegistered()
  }

  /** The registered drivers that match a device, in bus registration order. */
  driversMatching(device: Device): readonly RuntimeDriver[] {
    return this.matchingDrivers(device)
  }

  /** The drivers that match a device, in bus registration order (bus_for_each_drv). */
  private matchingDrivers(device: Device): RuntimeDriver[] {
    // Retries of deferred devices ask again and again; the answer changes only when a driver registers.
    if (device.bus === 'amba') return this.findMatchingDrivers(device)
    const cached = this.matchCache.get(device)
    if (cached && cached.generation === this.generation) return cached.drivers
    const drivers = this.findMatchingDrivers(device)
    this.matchCache.set(device, { generation: this.generation, drivers })
    return drivers
  }

  private readonly matchCache = new Map<Device, { generation: number; drivers: RuntimeDriver[] }>()
  /** Bumped whenever a driver registers or unregisters: cached matches are stale after it. */
  private generation = 0
  private nextOrder = 0

  /** driver_unregister(): every device it drives is released (consumers first), then it leaves the bus. */
  unregisterDriver(def: DriverDefinition): void {
    const driver = this.drivers.find((candidate) => candidate.def === def)
    if (!driver) return
    for (const device of this.devices) {
      if (device.driver === driver) this.releaseDriver(device)
    }
    this.drivers.splice(this.drivers.indexOf(driver), 1)
    for (const compatible of def.bus === 'amba' ? [] : def.compatible) {
      const list = this.driversByCompatible.get(compatible) ?? []
      this.driversByCompatible.set(
        compatible,
        list.filter((candidate) => candidate !== driver),
      )
    }
    for (const name of idNames(def)) {
      const key = idKey(def.bus, name)
      const list = this.driversByIdName.get(key) ?? []
      this.driversByIdName.set(
        key,
        list.filter((candidate) => candidate !== driver),
      )
    }
    this.generation += 1
  }

  /** bind_store(): the named device must be on the driver's bus and match it; 0 or a negative errno. */
  bind(def: DriverDefinition, device: Device): number {
    const driver = this.matchingDrivers(device).find((candidate) => candidate.def === def)
    if (!driver) return -ERRNO.ENODEV
    if (device.driver) return -ERRNO.EBUSY
    const ret = this.driverProbeDevice(driver, device)
    if (Math.abs(ret) === ERRNO.EPROBE_DEFER) return -ERRNO.EAGAIN
    return ret > 0 ? -ret : ret
  }

  /** device_release_driver(): consumers with a managed link to it are unbound first (device_links_unbind_consumers). */
  releaseDriver(device: Device): void {
    if (!device.driver) return
    for (const link of device.consumers) {
      if (!link.relaxed && link.consumer.driver) this.releaseDriver(link.consumer)
    }
    // __device_release_driver() (drivers/base/dd.c:1367): the driver's remove() and its devres
    // (devm_mfd_add_devices, devm_spmi_controller_add...) take the children down first.
    this.host.removeChildren(device)
    device.driver = undefined
    this.host.providersChanged(device, false)
    this.setState(device, 'no-driver')
  }

  /** An index for a new device: creation order, never reused after a device is deleted. */
  nextDeviceIndex(): number {
    return this.nextIndex++
  }

  private nextIndex = 0

  /**
   * device_del()'s part in drivers/base (drivers/base/core.c:3963): bus_remove_device() unbinds it,
   * driver_deferred_probe_del() takes it off the deferred list, the bus forgets it.
   */
  deleteDevice(device: Device): void {
    this.releaseDriver(device)
    this.deferred.pending.delete(device)
    this.matchCache.delete(device)
    const without = (list: Device[] | undefined) => {
      const at = list?.indexOf(device) ?? -1
      if (list && at >= 0) list.splice(at, 1)
    }
    without(this.devices)
    without(this.ambaDevices)
    if (this.devicesByNode.get(device.of) === device) this.devicesByNode.delete(device.of)
    for (const compatible of device.of.compatible) without(this.devicesByCompatible.get(compatible))
    if (device.idName !== undefined)
      without(this.devicesByIdName.get(idKey(device.bus, device.idName)))
  }

  private findMatchingDrivers(device: Device): RuntimeDriver[] {
    // The AMBA bus matches by the ID read so far; reading it is amba_match()'s, in a probe walk.
    if (device.bus === 'amba') {
      const periphid = device.periphid
      if (periphid === undefined) return []
      return this.drivers
        .filter((d) => d.def.bus === 'amba' && ambaLookup(d.def.amba ?? [], periphid))
        .sort((a, b) => a.order - b.order)
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

  /** __device_attach(): first matching driver whose probe succeeds owns the device. */
  private deviceAttach(device: Device): void {
    if (device.driver) return
    if (device.bus === 'amba') return this.ambaDeviceAttach(device)
    for (const driver of this.matchingDrivers(device)) {
      const ret = this.driverProbeDevice(driver, device)
      // A supplier wait stops the walk; a probe's own error lets the next driver try its luck.
      if (ret === 0 || ret === -ERRNO.EPROBE_DEFER) return
    }
  }

  /** __device_attach_driver() on the AMBA bus: a match that cannot read the ID stops the walk. */
  private ambaDeviceAttach(device: Device): void {
    const drivers = this.drivers
      .filter((d) => d.def.bus === 'amba')
      .sort((a, b) => a.order - b.order)
    let matched = false
    for (const driver of drivers) {
      const ret = this.host.ambaMatch(device, driver.def)
      if (ret === -ERRNO.EPROBE_DEFER) return this.matchDeferred(device)
      if (ret <= 0) continue
      matched = true
      const probed = this.driverProbeDevice(driver, device)
      if (probed === 0 || probed === -ERRNO.EPROBE_DEFER) return
    }
    // Off the deferred list with no driver: a match deferral that now reads an ID nobody claims.
    if (!matched && device.state === 'deferred') this.setState(device, 'no-driver')
  }

  /** bus match() said -EPROBE_DEFER (drivers/base/dd.c __device_attach_driver): onto the deferred list. */
  private matchDeferred(device: Device): void {
    this.host.devDbg(device, 'Device match requests probe deferral')
    device.canMatch = true
    this.setState(device, 'deferred')
    this.addToPending(device)
    this.host.trace.deferred(device.name, `${device.bus}: match requests probe deferral`)
  }

  /** driver_probe_device(): returns 0, a negative errno (links), or a positive probe error. */
  private driverProbeDevice(driver: RuntimeDriver, device: Device): number {
    if (device.driver) return -ERRNO.EBUSY
    device.canMatch = true
    const ret = this.reallyProbe(driver, device)
    if (Math.abs(ret) === ERRNO.EPROBE_DEFER) this.addToPending(device)
    return ret
  }

  /** The links that keep a consumer from probing (device_links_check_suppliers). */
  blockingReason(device: Device): string | undefined {
    return deviceLinksCheckSuppliers(device, this.host.linksBlock)
  }

  private reallyProbe(driver: RuntimeDriver, device: Device): number {
    const start = this.host.now()
    const { span, attempt } = this.host.trace.probeStarting(device.name)
    this.deferred.probeDepth += 1
    const ret = this.reallyProbeSteps(driver, device)
    // really_probe() returns a probe's own error as a positive value, a supplier wait as -EPROBE_DEFER.
    this.host.probeReturned(device, ret, start)
    this.deferred.probeDepth -= 1
    const deferred = Math.abs(ret) === ERRNO.EPROBE_DEFER
    const probe = this.host.trace.end(span, 'probe', {
      device: device.name,
      driver: driver.def.name,
      result:
        ret === 0
          ? 'bound'
          : deferred
            ? 'deferred'
            : ret === ERRNO.ENODEV || ret === ERRNO.ENXIO
              ? 'rejected'
              : 'failed',
      ret: ret > 0 ? -ret : ret,
      attempt,
    })
    if (deferred)
      this.host.trace.deferred(
        device.name,
        device.deferReason ?? `${driver.def.name}: probe requests deferral`,
        probe.seq,
      )
    this.deferred.probeReturned()
    return ret
  }

  private reallyProbeSteps(driver: RuntimeDriver, device: Device): number {
    const blocked = this.blockingReason(device)
    if (blocked) {
      this.setState(device, 'deferred', `${device.bus}: ${blocked}`)
      return -ERRNO.EPROBE_DEFER
    }
    device.driver = driver
    const outcome = this.host.callProbe(device, driver)
    if (outcome.ret === 0) {
      this.driverBound(device)
      return 0
    }
    // call_driver_probe() reports while dev->driver is still set; device_unbind_cleanup() clears it after.
    const errno = -outcome.ret
    if (errno === ERRNO.EPROBE_DEFER) {
      // dev_err_probe() records `<driver>: <reason>`; a plain -EPROBE_DEFER records none.
      const reason = 'reason' in outcome ? outcome.reason : undefined
      this.setState(device, 'deferred', reason ? `${driver.def.name}: ${reason}` : undefined)
      this.host.devDbg(device, `Driver ${driver.def.name} requests probe deferral`)
    } else if (errno === ERRNO.ENODEV || errno === ERRNO.ENXIO) {
      if (this.host.probeErrorsAsDevPrintk)
        this.host.devDbg(device, `probe with driver ${driver.def.name} rejects match ${-errno}`)
      else this.host.prDebug(`${driver.def.name}: probe of ${device.name} rejects match ${-errno}`)
      if (device.state !== 'deferred') this.setState(device, 'no-driver')
    } else {
      if (this.host.probeErrorsAsDevPrintk)
        this.host.devPrintk(
          'err',
          device,
          `probe with driver ${driver.def.name} failed with error ${-errno}`,
        )
      else
        this.host.printk(
          'warning',
          `${driver.def.name}: probe of ${device.name} failed with error ${-errno}`,
        )
      device.errno = errno
      this.setState(device, 'failed')
    }
    device.driver = undefined
    return errno
  }

  /** driver_bound(): off the deferred list, consumers' links available, every deferred device retried. */
  private driverBound(device: Device): void {
    device.errno = undefined
    this.host.providersChanged(device, true)
    this.setState(device, 'bound')
    this.deferred.pending.delete(device)
    this.trigger()
  }

  private setState(device: Device, state: DeviceState, deferReason?: string): void {
    const changed = device.state !== state || device.deferReason !== deferReason
    device.state = state
    device.deferReason = deferReason
    if (changed) this.host.stateChanged(device)
  }

  private addToPending(device: Device): void {
    this.deferred.add(device)
  }

  /** driver_deferred_probe_trigger(): a no-op until late_initcall enables it. */
  trigger(): void {
    this.deferred.trigger()
  }

  /** deferred_probe_initcall() at late_initcall. */
  deferredProbeInitcall(): void {
    this.deferred.initcall()
  }

  /** deferred_probe_timeout_work_func(): relax links to driverless suppliers, retry, report the rest. */
  deferredProbeTimeout(): void {
    this.deferred.timeout(this.devices)
  }

  pendingDevices(): Device[] {
    return [...this.deferred.pending]
  }

  /** /sys/kernel/debug/devices_deferred: `name\treason`. */
  devicesDeferred(): string {
    return this.deferred.devicesDeferred()
  }
}

const idKey = (bus: string, name: string) => `${bus}\0${name}`

/**
 * The names a driver binds a device's id name by. platform_match() (drivers/base/platform.c:1305):
 * its id_table's, else its own name. i2c_device_match() (drivers/i2c/i2c-core-base.c:140): its
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
