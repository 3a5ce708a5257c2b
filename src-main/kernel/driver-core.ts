import type { DriverDefinition } from '../catalog/driver-schema'
import { ERRNO } from '../linux/errno'
import { BusLists } from './bus'
import { DriverProbe } from './dd'
import { DeferredProbe } from './deferred-probe'
import type { Device, ProbeOutcome, RuntimeDriver } from './device'
import type { OfNode } from './of-tree'
import type { TraceBuffer } from './trace'

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

/**
 * drivers/base's entry points: device_add() (core.c), driver_register() and driver_unregister()
 * (driver.c), bind_store() and device_release_driver() (bus.c, dd.c), the deferred probe lists.
 */
export class DriverCore {
  private readonly bus = new BusLists()
  readonly devices: Device[] = this.bus.devices
  readonly drivers: RuntimeDriver[] = this.bus.drivers
  private readonly devicesByNode = new Map<OfNode, Device>()
  private readonly deferred: DeferredProbe
  private readonly dd: DriverProbe

  constructor(private readonly host: DriverCoreHost) {
    this.deferred = new DeferredProbe(host, (device) => this.dd.deviceAttach(device))
    this.dd = new DriverProbe(host, this.bus, this.deferred)
  }

  get initcallsDone(): boolean {
    return this.deferred.initcallsDone
  }

  get timeoutExpired(): boolean {
    return this.deferred.timeoutExpired
  }

  /** device_add() + bus_probe_device(): matched against the drivers registered so far. */
  addDevice(device: Device): void {
    this.bus.addDevice(device)
    this.devicesByNode.set(device.of, device)
    this.host.stateChanged(device)
  }

  /** The device created for a node, if any. */
  deviceOf(node: OfNode): Device | undefined {
    return this.devicesByNode.get(node)
  }

  probeNewDevice(device: Device): void {
    this.dd.deviceAttach(device)
  }

  /** driver_register() + driver_attach(): every unbound device on the bus that matches, in bus order. */
  registerDriver(def: DriverDefinition): void {
    const { driver, candidates } = this.bus.addDriver(def)
    for (const device of candidates) {
      if (device.driver) continue
      if (def.bus !== 'amba') {
        this.dd.driverProbeDevice(driver, device)
        continue
      }
      const ret = this.host.ambaMatch(device, def)
      if (ret === -ERRNO.EPROBE_DEFER) this.dd.matchDeferred(device)
      else if (ret > 0) this.dd.driverProbeDevice(driver, device)
    }
    this.host.driverRegistered()
  }

  /** The registered drivers that match a device, in bus registration order. */
  driversMatching(device: Device): readonly RuntimeDriver[] {
    return this.bus.matchingDrivers(device)
  }

  /** driver_unregister(): every device it drives is released (consumers first), then it leaves the bus. */
  unregisterDriver(def: DriverDefinition): void {
    const driver = this.drivers.find((candidate) => candidate.def === def)
    if (!driver) return
    for (const device of this.devices) {
      if (device.driver === driver) this.releaseDriver(device)
    }
    this.bus.removeDriver(driver)
  }

  /** bind_store(): the named device must be on the driver's bus and match it; 0 or a negative errno. */
  bind(def: DriverDefinition, device: Device): number {
    const driver = this.bus.matchingDrivers(device).find((candidate) => candidate.def === def)
    if (!driver) return -ERRNO.ENODEV
    if (device.driver) return -ERRNO.EBUSY
    const ret = this.dd.driverProbeDevice(driver, device)
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
    this.dd.setState(device, 'no-driver')
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
    this.bus.removeDevice(device)
    if (this.devicesByNode.get(device.of) === device) this.devicesByNode.delete(device.of)
  }

  /** The links that keep a consumer from probing (device_links_check_suppliers). */
  blockingReason(device: Device): string | undefined {
    return this.dd.blockingReason(device)
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
