import { clocksourceTiming, schedClockTiming } from './clocksource-math'
import { NSEC_PER_SEC, type VirtualClock } from './clock'
import { LOGLEVEL } from '../linux/log-levels'
import type { LogBuffer } from './printk'

interface Clocksource {
  name: string
  rating: number
  /** CLOCK_SOURCE_VALID_FOR_HRES: only these can be current once NOHZ/high-res mode is on. */
  hres: boolean
  owner?: string
}

interface ClockEventDevice {
  name: string
  rating: number
  perCpu: boolean
  owner?: string
}

/** kernel/time: clocksources by rating, the tick devices, and sched_clock (the printk clock). */
export class Timekeeping {
  /** Sorted by rating, highest first; a newcomer goes after equals (clocksource_enqueue). */
  readonly clocksources: Clocksource[] = []
  current?: Clocksource
  private finishedBooting = false
  tickDevice?: ClockEventDevice
  /** The timer rate arm64's time_init() sets lpj_fine from (arch_timer_get_rate()). */
  delayTimerHz?: number
  readonly clockevents: ClockEventDevice[] = []
  private schedClock?: { hz: number; startNs: number; startValue: number }
  /** try_module_get()/module_put() on a device's owner: the tick device and the current clocksource pin their modules. */
  ownerRefs: { get(owner?: string): boolean; put(owner?: string): void } = {
    get: () => true,
    put: () => undefined,
  }

  constructor(
    private readonly clock: VirtualClock,
    private readonly log: () => LogBuffer,
    private readonly override: string | undefined,
    private readonly tickNs: number,
  ) {}

  /** local_clock(): 0 until a counter is registered, jiffies-grained on the jiffies fallback. */
  schedClockNs(): number {
    const now = this.clock.now
    if (this.schedClock) return this.schedClock.startValue + (now - this.schedClock.startNs)
    if (!this.tickDevice || this.tickStartNs === undefined) return 0
    return Math.floor((now - this.tickStartNs) / this.tickNs) * this.tickNs
  }
  private tickStartNs?: number

  registerClocksource(
    cs: Clocksource,
    timing: Parameters<typeof clocksourceTiming>[1],
    bits: number,
  ): void {
    const t = clocksourceTiming(bits, timing)
    this.log().printk(
      LOGLEVEL.INFO,
      `clocksource: ${cs.name}: mask: 0x${t.mask.toString(16)} max_cycles: 0x${t.maxCycles.toString(16)}, max_idle_ns: ${t.maxIdleNs} ns`,
    )
    const at = this.clocksources.findIndex((other) => other.rating < cs.rating)
    this.clocksources.splice(at < 0 ? this.clocksources.length : at, 0, cs)
    this.select()
  }

  /**
   * clocksource_jiffies (kernel/time/jiffies.c): mult and shift fixed by HZ (JIFFIES_SHIFT 8),
   * rating 1, not high-res. Registered once: by init_jiffies_clocksource() at core_initcall up to
   * 6.1, from timekeeping_init()'s clocksource_default_clock() in 6.12 (cs_jiffies_registered).
   */
  registerJiffies(hz: number): void {
    if (this.clocksources.some((cs) => cs.name === 'jiffies')) return
    this.registerClocksource(
      { name: 'jiffies', rating: 1, hres: false },
      { mult: (NSEC_PER_SEC / hz) * 256, shift: 8 },
      32,
    )
  }

  /** clocksource_done_booting() at fs_initcall: jiffies first, then the best one. */
  doneBooting(): void {
    this.current = this.clocksources.find((cs) => cs.name === 'jiffies')
    this.finishedBooting = true
    this.select()
  }

  private select(): void {
    if (!this.finishedBooting) return
    const usable = this.clocksources.filter((cs) => cs.hres)
    let best = usable[0]
    if (this.override) {
      const wanted = this.clocksources.find((cs) => cs.name === this.override)
      if (wanted && !wanted.hres) {
        this.log().printk(
          LOGLEVEL.WARNING,
          `clocksource: Override clocksource ${wanted.name} is unstable and not HRT compatible - cannot switch while in HRT/NOHZ mode`,
        )
      } else if (wanted) {
        best = wanted
      }
    }
    if (best && best !== this.current && this.ownerRefs.get(best.owner)) {
      this.ownerRefs.put(this.current?.owner)
      this.current = best
      this.log().printk(LOGLEVEL.INFO, `clocksource: Switched to clocksource ${best.name}`)
    }
  }

  /** clockevents_register_device(): a better-rated or per-CPU device takes over the tick. */
  registerClockevent(device: ClockEventDevice): void {
    this.clockevents.push(device)
    const current = this.tickDevice
    if (
      (!current || device.rating > current.rating || (device.perCpu && !current.perCpu)) &&
      this.ownerRefs.get(device.owner)
    ) {
      // tick_check_new_device() pins the new device's owner; clockevents_exchange_device() releases the old one's.
      this.ownerRefs.put(current?.owner)
      this.tickDevice = device
      this.tickStartNs ??= this.clock.now
    }
  }

  /** sched_clock_register(): a slower counter than the registered one is ignored silently. */
  registerSchedClock(bits: number, hz: number): void {
    if (this.schedClock && this.schedClock.hz > hz) return
    const value = this.schedClockNs()
    this.schedClock = { hz, startNs: this.clock.now, startValue: value }
    const t = schedClockTiming(bits, hz)
    this.log().printk(
      LOGLEVEL.INFO,
      `sched_clock: ${bits} bits at ${t.rate}${t.unit}Hz, resolution ${t.resolutionNs}ns, wraps every ${t.wrapNs}ns`,
    )
  }
}
