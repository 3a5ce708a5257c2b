/**
 * The kernel's trace buffer: structured events on the simulated clock, as ftrace's initcall,
 * device and module events record them (include/trace/events/initcall.h, module.h), kept whether
 * or not initcall_debug prints them. The boot timeline is drawn from it.
 */

/** What every event carries: when (printk clock), how long (the kernel's clock), its dmesg lines. */
interface TraceBase {
  /** The printk timestamp when it began, in ns. */
  startNs: number
  /** How long it took on the kernel's clock, in ns (0 for an instant). */
  durNs: number
  /** The first record printed while it ran (the `calling` line under initcall_debug), if any. */
  seq?: number
  /** One past the last record printed while it ran, when `seq` is set. */
  seqEnd?: number
}

export type TraceEvent = TraceBase &
  (
    | { kind: 'initcall'; fn: string; level: string; ret: number; module?: string }
    | {
        kind: 'probe'
        device: string
        driver: string
        result: 'bound' | 'deferred' | 'failed' | 'rejected'
        ret: number
        /** 1 for the first probe of the device, 2 for the first retry... */
        attempt: number
      }
    | {
        kind: 'deferral'
        device: string
        reason: string
        attempt: number
        /** Still on the deferred list when the trace was read: durNs runs to now. */
        open: boolean
      }
    | { kind: 'timeout'; pending: number }
    | { kind: 'module'; module: string; op: 'load' | 'unload'; ret: number }
  )

export type TraceKind = TraceEvent['kind']

/** A piece of work that has begun: `end()` turns it into an event. */
export interface TraceSpan {
  startNs: number
  startClock: number
  startSeq: number
}

type Fields<K extends TraceKind> = Omit<Extract<TraceEvent, { kind: K }>, keyof TraceBase | 'kind'>

export class TraceBuffer {
  readonly events: TraceEvent[] = []
  private readonly attempts = new Map<string, number>()
  /** Each device's deferral still waiting for a retry, and when it began on the kernel's clock. */
  private readonly openDeferrals = new Map<string, { event: TraceEvent; clock: number }>()
  private readonly openSince = new Map<TraceEvent, number>()

  constructor(
    /** local_clock(): the printk timestamp. */
    private readonly stamp: () => number,
    /** The kernel's own clock, which durations are measured on. */
    private readonly clock: () => number,
    /** The sequence number the next printk record gets. */
    private readonly nextSeq: () => number,
  ) {}

  /** The sequence number the next printk record gets. */
  nextRecordSeq(): number {
    return this.nextSeq()
  }

  begin(): TraceSpan {
    return { startNs: this.stamp(), startClock: this.clock(), startSeq: this.nextSeq() }
  }

  end<K extends TraceKind>(span: TraceSpan, kind: K, fields: Fields<K>): TraceEvent {
    const next = this.nextSeq()
    const event = {
      kind,
      startNs: span.startNs,
      durNs: this.clock() - span.startClock,
      ...(next > span.startSeq ? { seq: span.startSeq, seqEnd: next } : {}),
      ...fields,
    } as unknown as TraceEvent
    this.events.push(event)
    return event
  }

  instant<K extends TraceKind>(kind: K, fields: Fields<K>, seq?: number): TraceEvent {
    const event = {
      kind,
      startNs: this.stamp(),
      durNs: 0,
      ...(seq !== undefined ? { seq, seqEnd: seq + 1 } : {}),
      ...fields,
    } as unknown as TraceEvent
    this.events.push(event)
    return event
  }

  /** really_probe() begins: a deferral of the device ends here, as its retry. */
  probeStarting(device: string): { span: TraceSpan; attempt: number } {
    this.closeDeferral(device)
    const attempt = (this.attempts.get(device) ?? 0) + 1
    this.attempts.set(device, attempt)
    return { span: this.begin(), attempt }
  }

  /** The device went onto the deferred list (a probe's -EPROBE_DEFER, or the bus match's), after `seq`'s probe. */
  deferred(device: string, reason: string, seq?: number): void {
    this.closeDeferral(device)
    const event = this.instant('deferral', {
      device,
      reason,
      attempt: this.attempts.get(device) ?? 0,
      open: true,
    })
    // The probe's first line: where to look, though the line is the probe's (no seqEnd).
    if (seq !== undefined) event.seq = seq
    this.openDeferrals.set(device, { event, clock: this.clock() })
    this.openSince.set(event, this.clock())
  }

  /** The device left the deferred state (bound, failed, no driver after all): its wait is over. */
  settled(device: string): void {
    this.closeDeferral(device)
  }

  /** The deferred-probe timeout reported the devices left: each pending line is its deferral's. */
  pendingReported(device: string, seq: number): void {
    const open = this.openDeferrals.get(device)
    if (open && open.event.seqEnd === undefined) {
      open.event.seq = seq
      open.event.seqEnd = seq + 1
    }
  }

  /** Open deferrals run to now: the time the trace is read at, on the kernel's clock. */
  openDurationNs(event: TraceEvent): number {
    if (event.kind !== 'deferral' || !event.open) return event.durNs
    const began = this.openSince.get(event)
    return began === undefined ? event.durNs : this.clock() - began
  }

  private closeDeferral(device: string): void {
    const open = this.openDeferrals.get(device)
    if (!open) return
    this.openDeferrals.delete(device)
    this.openSince.delete(open.event)
    open.event.durNs = this.clock() - open.clock
    if (open.event.kind === 'deferral') open.event.open = false
  }
}
