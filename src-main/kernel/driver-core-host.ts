import { ambaMatch } from './amba-bus'
import { callDriverProbe } from './call-probe'
import { removeChildDevices } from './child-devices'
import { NSEC_PER_SEC, NSEC_PER_USEC } from './clock'
import type { DriverCoreHost } from './driver-core'
import type { Kernel } from './kernel'

/**
 * What drivers/base calls out to: printk and dynamic debug, the clock, the bus's match and the
 * driver's probe, and what a device's binding changes elsewhere in the kernel.
 */
export function driverCoreHost(kernel: Kernel): DriverCoreHost {
  return {
    trace: kernel.trace,
    linksBlock: kernel.linksBlock,
    deferredReasonInPending: kernel.deferredReasonInPending,
    deferredPendingLevel: kernel.deferredPendingLevel,
    probeErrorsAsDevPrintk: kernel.probeErrorsAsDevPrintk,
    ambaMatch: (device, driver) => ambaMatch(kernel, device, driver),
    callProbe: (device, driver) => callDriverProbe(kernel, device, driver.def),
    devPrintk: (level, device, text) => kernel.devPrintk(level, device, text),
    printk: (level, text) => kernel.printk(level, text),
    devDbg: (device, text) => kernel.devDbg(device, text),
    prDebug: (text) => kernel.prDebug(text),
    now: () => kernel.clock.now,

    probeReturned(device, ret, startNs) {
      if (!kernel.initcallDebug) return
      const usecs = Math.floor((kernel.clock.now - startNs) / NSEC_PER_USEC)
      kernel.printk('debug', `probe of ${device.name} returned ${ret} after ${usecs} usecs`)
    },

    stateChanged(device) {
      const detail =
        device.state === 'deferred'
          ? device.deferReason
          : device.state === 'failed'
            ? `error -${device.errno}`
            : device.driver?.def.name
      if (device.state !== 'deferred') kernel.trace.settled(device.name)
      kernel.deviceEvents.push({
        ns: kernel.timekeeping.schedClockNs(),
        device: device.name,
        state: device.state,
        ...(detail ? { detail } : {}),
      })
    },

    removeChildren(device) {
      removeChildDevices(device)
    },

    providersChanged(device, bound) {
      if (bound) kernel.providers.register(device.of)
      else kernel.providers.unregister(device.of)
    },

    /** deferred_probe_extend_timeout() from driver_register() (drivers/base/dd.c:324). */
    driverRegistered() {
      const work = kernel.deferredProbeTimeoutWork
      const timeout = kernel.deferredProbeTimeout
      if (work && kernel.timers.mod(work, kernel.clock.now + timeout * NSEC_PER_SEC))
        kernel.prDebug(`Extended deferred probe timeout by ${timeout} secs`)
    },
  }
}
