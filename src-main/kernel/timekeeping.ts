import { NSEC_PER_SEC, type VirtualClock } from './clock'
import {
  ClockEvents,
  clockeventsConfig,
  type ClockEventDevice,
  type ClockEventFeature,
  type ClockEventOps,
  type OwnerRefs,
} from './clockevents'
import { Clocksources, type Clocksource } from './clocksource'
import { schedClockTiming } from './clocksource-math'
import { LOGLEVEL } from '../linux/log-levels'
import type { LogBuffer } from './printk'
import { tickBroadcastSwitchToOneshot } from './tick-broadcast'

/** What a driver's clockevents_config_and_register() passes: the device and its counter's limits. */
export interface ClockEventRegistration {
  name: string
  rating: number
  features: ClockEventFeature[]
  cpumask: ClockEventDevice['cpumask']
  owner?: string
  code?: string
  hz: number
  minDeltaTicks: bigint
  maxDeltaTicks: bigint
  ops: ClockEventOps
}

/** kernel/time: clocksources, the clock event devices and tick, and sched_clock (the printk clock). */
export class Timekeeping {
  readonly clocksources: Clocksources
  readonly clockevents: ClockEvents
  /** The timer rate arm64's time_init() sets lpj_fine from (arch_timer_get_rate()). */
  delayTimerHz?: number
  private schedClock?: { hz: number; startNs: number; startValue: number }
  private tickStartNs?: number
  /** CPUs brought up so far: a per-CPU timer's cpuhp callback runs on each as it starts. */
  private onlineCpus = 1
  /** cpuhp STARTING callbacks timer drivers installed (cpuhp_setup_state), in install order. */
  private readonly starting: ((cpu: number) => void)[] = []
  /** try_module_get()/module_put() on a device's owner: the tick code and the current clocksource pin their modules. */
  ownerRefs: OwnerRefs = { get: () => true, put: () => undefined }

  constructor(
    private readonly clock: VirtualClock,
    private readonly log: () => LogBuffer,
    override: string | undefined,
    private readonly tickNs: number,
    cpus: number,
  ) {
    this.clockevents = new ClockEvents(cpus, () => this.ownerRefs)
    this.clocksources = new Clocksources(
      log,
      override,
      (cs) => this.changeClocksource(cs),
      () => this.clockevents.oneshotActive,
    )
  }

  /** local_clock(): 0 until a counter is registered, jiffies-grained on the jiffies fallback. */
  schedClockNs(): number {
    const now = this.clock.now
    if (this.schedClock) return this.schedClock.startValue + (now - this.schedClock.startNs)
    if (this.tickStartNs === undefined) return 0
    return Math.floor((now - this.tickStartNs) / this.tickNs) * this.tickNs
  }

  /** The clock event device CPU0's tick comes from, if any. */
  get tickDevice(): ClockEventDevice | undefined {
    return this.clockevents.ticking(0)
  }

  registerClocksource(cs: Clocksource, timing: { hz: number }, bits: number): void {
    this.clocksources.register(cs, timing, bits)
  }

  /**
   * clocksource_jiffies (kernel/time/jiffies.c): mult and shift fixed by HZ (JIFFIES_SHIFT 8),
   * rating 1, not high-res. Registered once: by init_jiffies_clocksource() at core_initcall up to
   * 6.1, from timekeeping_init()'s clocksource_default_clock() in 6.12 (cs_jiffies_registered).
   */
  registerJiffies(hz: number): void {
    if (this.clocksources.list.some((cs) => cs.name === 'jiffies')) return
    this.clocksources.register(
      { name: 'jiffies', rating: 1, hres: false },
      { mult: (NSEC_PER_SEC / hz) * 256, shift: 8 },
      32,
    )
  }

  doneBooting(): void {
    this.clocksources.doneBooting()
  }

  /**
   * change_clocksource() (kernel/time/timekeeping.c:1479) under timekeeping_notify(): a reference
   * on the new one's module, then the old one's dropped. Timekeeping that can serve high
   * resolution lets the CPUs switch to oneshot mode (tick_clock_notify, then
   * tick_check_oneshot_change at their next tick).
   */
  private changeClocksource(cs: Clocksource): number {
    const old = this.clocksources.current
    if (old === cs) return 0
    if (!this.ownerRefs.get(cs.owner)) return -1
    this.ownerRefs.put(old?.owner)
    if (cs.hres) this.switchToOneshot()
    return 0
  }

  /** tick_init_highres() on every CPU: hrtimer_interrupt drives each oneshot tick device. */
  private switchToOneshot(): void {
    const ce = this.clockevents
    if (ce.oneshotActive || !ce.tick.some((td) => td.evtdev?.features.has('ONESHOT'))) return
    ce.oneshotActive = true
    for (const td of ce.tick) {
      if (!td.evtdev?.features.has('ONESHOT')) continue
      td.mode = 'oneshot'
      td.evtdev.state = 'oneshot'
      td.evtdev.eventHandler = 'hrtimer_interrupt'
    }
    tickBroadcastSwitchToOneshot(ce)
  }

  /** clockevents_config_and_register() on `cpu`. */
  registerClockevent(reg: ClockEventRegistration, cpu: number): ClockEventDevice {
    const dev: ClockEventDevice = {
      name: reg.name,
      rating: reg.rating,
      features: new Set(reg.features),
      cpumask: reg.cpumask,
      irqPinned: false,
      owner: reg.owner,
      code: reg.code,
      state: 'detached',
      ops: reg.ops,
      ...(reg.features.includes('ONESHOT')
        ? clockeventsConfig(reg.hz, reg.minDeltaTicks, reg.maxDeltaTicks)
        : { mult: 0n, shift: 0n, minDeltaNs: 0n, maxDeltaNs: 0n }),
    }
    this.clockevents.register(dev, cpu)
    if (this.clockevents.ticking(0)) this.tickStartNs ??= this.clock.now
    return dev
  }

  /**
   * tick_setup_hrtimer_broadcast() from arm64's time_init() (arch/arm64/kernel/time.c:62): the
   * hrtimer-driven bc_hrtimer (kernel/time/tick-broadcast-hrtimer.c:76). Its irq is 0, which
   * cannot take an affinity, so it is never a CPU's tick device, only a broadcast of rating 0.
   */
  registerHrtimerBroadcast(): void {
    const dev: ClockEventDevice = {
      name: 'bc_hrtimer',
      rating: 0,
      features: new Set(['ONESHOT', 'KTIME', 'HRTIMER']),
      cpumask: 'possible',
      irqPinned: true,
      state: 'detached',
      ops: { shutdown: 'bc_shutdown' },
      mult: 1n,
      shift: 0n,
      minDeltaNs: 1n,
      maxDeltaNs: (1n << 63n) - 1n,
    }
    this.clockevents.register(dev, 0)
  }

  /** cpuhp_setup_state(STARTING): the callback runs now on every online CPU, later on each CPU that starts. */
  cpuhpSetupState(startup: (cpu: number) => void): void {
    this.starting.push(startup)
    for (let cpu = 0; cpu < this.onlineCpus; cpu++) startup(cpu)
  }

  /** A secondary CPU reaches CPUHP_AP_*_STARTING: the timers' callbacks run on it. */
  cpuStarting(cpu: number): void {
    this.onlineCpus = Math.max(this.onlineCpus, cpu + 1)
    for (const startup of this.starting) startup(cpu)
  }

  /** The devices in use whose callbacks are in this module's text: what its next tick calls. */
  devicesUsingModule(module: string): ClockEventDevice[] {
    const ce = this.clockevents
    return ce.devices.filter((dev) => dev.code === module && ce.inUse(dev))
  }

  /** sched_clock_register(): a slower counter than the registered one is ignored (sched_clock.c:172). */
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
