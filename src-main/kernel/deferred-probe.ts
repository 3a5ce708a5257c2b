import type { Device } from './device'
import type { DriverCoreHost } from './driver-core'
import { fwDevlinkDriversDone } from './fw-devlink'

/**
 * drivers/base/dd.c's deferred probe: the pending and active lists, the trigger that moves the
 * first to the second, the work that retries them, and the timeout that reports what is left.
 */
export class DeferredProbe {
  /** The deferred_probe_pending_list: a Set keeps insertion order and removes in O(1). */
  readonly pending = new Set<Device>()
  /** The active list, consumed from `activeHead`. */
  private active: Device[] = []
  private activeHead = 0
  private readonly inActive = new Set<Device>()
  private enabled = false
  private working = false
  /** Probes in progress (a probe that populates children probes them inside its own). */
  probeDepth = 0
  /** A trigger during a probe: the deferred work runs once the outermost probe returned. */
  private workQueued = false
  initcallsDone = false
  timeoutExpired = false

  constructor(
    private readonly host: DriverCoreHost,
    /** __device_attach() for a retried device. */
    private readonly attach: (device: Device) => void,
  ) {}

  /** driver_deferred_probe_add() (drivers/base/dd.c:133). */
  add(device: Device): void {
    if (!this.inActive.has(device)) this.pending.add(device)
  }

  /** driver_deferred_probe_trigger() (dd.c:176): a no-op until late_initcall enables it. */
  trigger(): void {
    if (!this.enabled) return
    for (const device of this.pending) {
      this.active.push(device)
      this.inActive.add(device)
    }
    this.pending.clear()
    // queue_work() (dd.c:196): the work runs on another thread, so a probe that triggered it
    // returns (and initcall_debug prints its `probe of` line) before its consumers retry.
    if (this.working) return
    if (this.probeDepth > 0) this.workQueued = true
    else this.runWork()
  }

  /** The outermost probe returned: the work it queued runs now. */
  probeReturned(): void {
    if (this.probeDepth === 0 && this.workQueued && !this.working) this.runWork()
  }

  /** deferred_probe_work_func() (dd.c:81): retries the active list in order until it is empty. */
  private runWork(): void {
    this.working = true
    this.workQueued = false
    while (this.activeHead < this.active.length) {
      const device = this.active[this.activeHead++] as Device
      this.inActive.delete(device)
      // A deferral puts it back on the pending list (driver_probe_device -> driver_deferred_probe_add).
      if (!device.driver) this.attach(device)
    }
    this.active = []
    this.activeHead = 0
    this.working = false
  }

  /** deferred_probe_initcall() (dd.c:344) at late_initcall. */
  initcall(): void {
    this.enabled = true
    this.trigger()
    this.initcallsDone = true
    this.trigger()
  }

  /** deferred_probe_timeout_work_func() (dd.c:305): relax links to driverless suppliers, retry, report the rest. */
  timeout(devices: Device[]): void {
    fwDevlinkDriversDone(devices, (device, text) => this.host.devDbg(device, text))
    this.timeoutExpired = true
    const trace = this.host.trace
    const span = trace.begin()
    this.trigger()
    const firstPending = trace.nextRecordSeq()
    for (const device of this.pending) {
      trace.pendingReported(device.name, trace.nextRecordSeq())
      // The whole recorded reason, `<driver or bus>: <message>` (dd.c:317).
      const text = this.host.deferredReasonInPending
        ? `deferred probe pending: ${device.deferReason ?? '(reason unknown)'}`
        : 'deferred probe pending'
      this.host.devPrintk(this.host.deferredPendingLevel, device, text)
    }
    // The event points at the first `deferred probe pending` line, or at the retry's first line.
    const event = trace.end(span, 'timeout', { pending: this.pending.size })
    if (this.pending.size > 0) {
      event.seq = firstPending
      event.seqEnd = firstPending + this.pending.size
    }
  }

  /** /sys/kernel/debug/devices_deferred (deferred_devs_show(), dd.c:244): `name\treason`. */
  devicesDeferred(): string {
    return [...this.pending]
      .map((device) => `${device.name}\t${device.deferReason ?? ''}\n`)
      .join('')
  }
}
