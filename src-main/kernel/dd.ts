import { ERRNO } from '../linux/errno'
import type { BusLists } from './bus'
import type { DeferredProbe } from './deferred-probe'
import type { Device, DeviceState, RuntimeDriver } from './device'
import type { DriverCoreHost } from './driver-core'
import { deviceLinksCheckSuppliers } from './fw-devlink'

/**
 * drivers/base/dd.c: __device_attach() walks the bus's drivers, driver_probe_device() and
 * really_probe() try one, driver_bound() settles a success.
 */
export class DriverProbe {
  constructor(
    private readonly host: DriverCoreHost,
    private readonly bus: BusLists,
    private readonly deferred: DeferredProbe,
  ) {}

  /** __device_attach(): first matching driver whose probe succeeds owns the device. */
  deviceAttach(device: Device): void {
    if (device.driver) return
    if (device.bus === 'amba') return this.ambaDeviceAttach(device)
    for (const driver of this.bus.matchingDrivers(device)) {
      const ret = this.driverProbeDevice(driver, device)
      // A supplier wait stops the walk; a probe's own error lets the next driver try its luck.
      if (ret === 0 || ret === -ERRNO.EPROBE_DEFER) return
    }
  }

  /** __device_attach_driver() on the AMBA bus: a match that cannot read the ID stops the walk. */
  private ambaDeviceAttach(device: Device): void {
    let matched = false
    for (const driver of this.bus.driversOn('amba')) {
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
  matchDeferred(device: Device): void {
    this.host.devDbg(device, 'Device match requests probe deferral')
    device.canMatch = true
    this.setState(device, 'deferred')
    this.deferred.add(device)
    this.host.trace.deferred(device.name, `${device.bus}: match requests probe deferral`)
  }

  /** driver_probe_device(): returns 0, a negative errno (links), or a positive probe error. */
  driverProbeDevice(driver: RuntimeDriver, device: Device): number {
    if (device.driver) return -ERRNO.EBUSY
    device.canMatch = true
    const ret = this.reallyProbe(driver, device)
    if (Math.abs(ret) === ERRNO.EPROBE_DEFER) this.deferred.add(device)
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
    this.deferred.trigger()
  }

  setState(device: Device, state: DeviceState, deferReason?: string): void {
    const changed = device.state !== state || device.deferReason !== deferReason
    device.state = state
    device.deferReason = deferReason
    if (changed) this.host.stateChanged(device)
  }
}
