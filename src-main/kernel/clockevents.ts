import { calcMultShift } from './clocksource-math'
import { tickCheckNewDevice, tickCheckReplacement } from './tick-common'
import { tickIsBroadcastDevice } from './tick-broadcast'
import { ERRNO } from '../linux/errno'
import { sysfsGetUname } from './clocksource'

/** CLOCK_EVT_FEAT_* (include/linux/clockchips.h). */
export type ClockEventFeature =
  'PERIODIC' | 'ONESHOT' | 'KTIME' | 'C3STOP' | 'DUMMY' | 'DYNIRQ' | 'PERCPU' | 'HRTIMER'

/** enum clock_event_state, in its order: /proc/timer_list prints the number. */
export const CLOCK_EVT_STATE = [
  'detached',
  'shutdown',
  'periodic',
  'oneshot',
  'oneshot_stopped',
] as const
export type ClockEventState = (typeof CLOCK_EVT_STATE)[number]

/** The callbacks a device sets, by the name %ps prints (none for an unset one). */
export interface ClockEventOps {
  set_next_event?: string
  shutdown?: string
  periodic?: string
  oneshot?: string
  oneshot_stopped?: string
  resume?: string
}

/** struct clock_event_device: what the tick code chooses on and what /proc/timer_list shows. */
export interface ClockEventDevice {
  name: string
  rating: number
  features: ReadonlySet<ClockEventFeature>
  /** cpumask_of(cpu), or cpu_possible_mask (a global device). */
  cpumask: { cpu: number } | 'possible'
  /** `irq >= 0 && !irq_can_set_affinity(irq)`: a global device whose interrupt cannot follow a CPU. */
  irqPinned: boolean
  /** The module whose code the device calls (dev->owner); none for built-in code. */
  owner?: string
  /** The module whose text holds the callbacks (none for built-in code), owner or not. */
  code?: string
  state: ClockEventState
  eventHandler?: string
  mult: bigint
  shift: bigint
  minDeltaNs: bigint
  maxDeltaNs: bigint
  ops: ClockEventOps
}

/** enum tick_device_mode. */
export type TickDeviceMode = 'periodic' | 'oneshot'

export interface TickDevice {
  evtdev?: ClockEventDevice
  mode: TickDeviceMode
}

export interface OwnerRefs {
  get(owner?: string): boolean
  put(owner?: string): void
}

/**
 * clockevents_config() (kernel/time/clockevents.c:481): mult/shift for `hz` over the longest
 * programmable delta, and the min/max deltas in ns (cev_delta2ns(), clockevents.c:31).
 */
export function clockeventsConfig(
  hz: number,
  minDeltaTicks: bigint,
  maxDeltaTicks: bigint,
): Pick<ClockEventDevice, 'mult' | 'shift' | 'minDeltaNs' | 'maxDeltaNs'> {
  const freq = BigInt(hz)
  let sec = maxDeltaTicks / freq
  if (sec === 0n) sec = 1n
  else if (sec > 600n && maxDeltaTicks > 0xffffffffn) sec = 600n
  const { mult, shift } = calcMultShift(1_000_000_000n, freq, sec)
  const delta2ns = (latch: bigint, ismax: boolean): bigint => {
    const U64_MAX = (1n << 64n) - 1n
    let clc = (latch << shift) & U64_MAX
    const rnd = mult - 1n
    if (clc >> shift !== latch) clc = U64_MAX
    if (U64_MAX - clc > rnd && (!ismax || mult <= 1n << shift)) clc += rnd
    clc /= mult
    return clc > 1000n ? clc : 1000n
  }
  return {
    mult,
    shift,
    minDeltaNs: delta2ns(minDeltaTicks, false),
    maxDeltaNs: delta2ns(maxDeltaTicks, true),
  }
}

export const cpumaskOf = (cpu: number) => ({ cpu })

export function cpumaskTest(mask: ClockEventDevice['cpumask'], cpu: number): boolean {
  return mask === 'possible' || mask.cpu === cpu
}

export function cpumaskEqual(
  a: ClockEventDevice['cpumask'],
  b: ClockEventDevice['cpumask'],
): boolean {
  return a === 'possible' || b === 'possible' ? a === b : a.cpu === b.cpu
}

/**
 * kernel/time/clockevents.c: the registered devices, the released ones, each CPU's tick device,
 * the broadcast device and the per-CPU oneshot wakeup devices (tick-broadcast.c).
 */
export class ClockEvents {
  /** clockevent_devices: list_add() puts a newcomer at the head. */
  readonly devices: ClockEventDevice[] = []
  /** clockevents_released. */
  readonly released: ClockEventDevice[] = []
  readonly tick: TickDevice[]
  readonly broadcast: TickDevice = { mode: 'periodic' }
  readonly wakeup: (ClockEventDevice | undefined)[]
  /** tick_oneshot_mode_active(): the CPUs switched to high-resolution (oneshot) mode. */
  oneshotActive = false

  constructor(
    readonly cpus: number,
    readonly refs: () => OwnerRefs,
  ) {
    this.tick = Array.from({ length: cpus }, () => ({ mode: 'periodic' as const }))
    this.wakeup = Array.from({ length: cpus }, () => undefined)
  }

  /** clockevents_register_device() on `cpu` (the CPU the caller runs on). */
  register(dev: ClockEventDevice, cpu: number): void {
    dev.state = 'detached'
    this.devices.unshift(dev)
    tickCheckNewDevice(this, dev, cpu)
    this.notifyReleased(cpu)
  }

  /** clockevents_notify_released(): a device given back is offered to the tick code again. */
  private notifyReleased(cpu: number): void {
    for (let dev = this.released.shift(); dev; dev = this.released.shift()) {
      this.devices.unshift(dev)
      tickCheckNewDevice(this, dev, cpu)
    }
  }

  /** __clockevents_exchange_device() (clockevents.c:560): the old one detached and released, the new one shut down. */
  exchangeNoPut(old: ClockEventDevice | undefined, dev: ClockEventDevice | undefined): void {
    if (old) {
      old.state = 'detached'
      this.move(old, this.devices, this.released)
    }
    if (dev) dev.state = 'shutdown'
  }

  /** clockevents_exchange_device() (clockevents.c:586): and module_put() on the old one's owner. */
  exchange(old: ClockEventDevice | undefined, dev: ClockEventDevice | undefined): void {
    this.exchangeNoPut(old, dev)
    if (old) this.refs().put(old.owner)
  }

  private move(dev: ClockEventDevice, from: ClockEventDevice[], to: ClockEventDevice[]): void {
    const at = from.indexOf(dev)
    if (at >= 0) from.splice(at, 1)
    to.unshift(dev)
  }

  /** clockevents_replace() (clockevents.c:358): the best detached device, pinned, takes the CPU's tick. */
  private replace(ced: ClockEventDevice, cpu: number): number {
    let newdev: ClockEventDevice | undefined
    for (const dev of this.devices) {
      if (dev === ced || dev.state !== 'detached') continue
      if (!tickCheckReplacement(this, newdev, dev, cpu)) continue
      if (!this.refs().get(dev.owner)) continue
      if (newdev) this.refs().put(newdev.owner)
      newdev = dev
    }
    if (!newdev) return -ERRNO.EBUSY
    // tick_install_replacement() (tick-common.c:261)
    const td = this.tick[cpu] as TickDevice
    this.exchange(td.evtdev, newdev)
    this.setupDevice(td, newdev, cpu)
    this.remove(ced)
    return 0
  }

  private remove(dev: ClockEventDevice): void {
    for (const list of [this.devices, this.released]) {
      const at = list.indexOf(dev)
      if (at >= 0) list.splice(at, 1)
    }
  }

  /** clockevents_unbind_device() (clockevents.c:428): unused goes, this CPU's tick is replaced, else -EBUSY. */
  unbindDevice(ced: ClockEventDevice, cpu: number): number {
    if (ced.state === 'detached') {
      this.remove(ced)
      return 0
    }
    if (ced !== this.tick[cpu]?.evtdev) return -ERRNO.EBUSY
    return this.replace(ced, cpu)
  }

  /**
   * unbind_device_store() (clockevents.c:694): the first device of that name in clockevent_devices,
   * the newest (a per-CPU timer's may be another CPU's: -EBUSY), unbound from `cpu`'s tick;
   * -ENODEV for none.
   */
  writeUnbind(buf: string, cpu: number): number {
    const name = sysfsGetUname(buf)
    if (typeof name === 'number') return name
    const dev = this.devices.find((candidate) => candidate.name === name)
    return dev ? this.unbindDevice(dev, cpu) : -ERRNO.ENODEV
  }

  /** tick_setup_device() (tick-common.c:184): a first device starts periodic; a replacement keeps the mode. */
  setupDevice(td: TickDevice, dev: ClockEventDevice, cpu: number): void {
    const previous = td.evtdev
    if (previous) previous.eventHandler = 'clockevents_handle_noop'
    else td.mode = 'periodic'
    td.evtdev = dev
    void cpu
    if (td.mode === 'periodic') {
      // tick_setup_periodic(): a device without PERIODIC is driven as oneshot (tick-common.c:147).
      dev.eventHandler = 'tick_handle_periodic'
      dev.state = dev.features.has('PERIODIC') ? 'periodic' : 'oneshot'
    } else {
      dev.eventHandler = 'hrtimer_interrupt'
      dev.state = 'oneshot'
    }
  }

  /** The device this CPU's tick comes from, when it can tick (bc_hrtimer needs a tick to run on). */
  ticking(cpu: number): ClockEventDevice | undefined {
    const dev = this.tick[cpu]?.evtdev
    return dev && !dev.features.has('HRTIMER') ? dev : undefined
  }

  /** Every role a device holds: the CPUs it ticks, wakes, or the broadcast. */
  inUse(dev: ClockEventDevice): boolean {
    return (
      this.tick.some((td) => td.evtdev === dev) ||
      this.wakeup.includes(dev) ||
      tickIsBroadcastDevice(this, dev)
    )
  }
}
