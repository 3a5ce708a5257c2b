import type { VirtualClock } from './clock'

/** A delayed work item on the simulated clock. */
export interface KernelTimer {
  at: number
  run: () => void
}

/** Delayed work on the virtual clock (queue_delayed_work, mod_delayed_work), run in time order. */
export class TimerList {
  private readonly pending: KernelTimer[] = []

  constructor(
    private readonly clock: VirtualClock,
    /** After each work item: the kernel returns to userspace, which may act on what happened. */
    private readonly afterEach: () => void = () => undefined,
  ) {}

  add(atNs: number, run: () => void): KernelTimer {
    const timer = { at: atNs, run }
    this.pending.push(timer)
    this.pending.sort((a, b) => a.at - b.at)
    return timer
  }

  /** mod_delayed_work(): a timer still pending fires at `atNs` instead; false when it already ran. */
  mod(timer: KernelTimer, atNs: number): boolean {
    if (!this.pending.includes(timer)) return false
    timer.at = atNs
    this.pending.sort((a, b) => a.at - b.at)
    return true
  }

  /** Runs every timer due by `untilNs` (or all of them), advancing the clock to each. */
  run(untilNs = Number.POSITIVE_INFINITY): void {
    while (this.pending.length > 0 && (this.pending[0]?.at ?? 0) <= untilNs) {
      const timer = this.pending.shift() as KernelTimer
      this.clock.advance(timer.at - this.clock.now)
      timer.run()
      this.afterEach()
    }
  }
}
