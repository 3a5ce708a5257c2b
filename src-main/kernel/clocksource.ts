import { clocksourceTiming } from './clocksource-math'
import { ERRNO } from '../linux/errno'
import { LOGLEVEL } from '../linux/log-levels'
import type { LogBuffer } from './printk'

export interface Clocksource {
  name: string
  rating: number
  /** CLOCK_SOURCE_VALID_FOR_HRES (set for every continuous clocksource, clocksource.c:737). */
  hres: boolean
  owner?: string
  /** The module whose text reads it (none for built-in code). */
  code?: string
}

/** CS_NAME_LEN (include/linux/clocksource.h). */
const CS_NAME_LEN = 32

/**
 * kernel/time/clocksource.c (6.12): the clocksources by rating, the current one, the override
 * (`clocksource=` or a write to current_clocksource) and unbinding.
 */
export class Clocksources {
  /** clocksource_list: by rating, highest first; a newcomer goes after equals (clocksource_enqueue). */
  readonly list: Clocksource[] = []
  current?: Clocksource
  private finishedBooting = false
  private overrideName: string

  constructor(
    private readonly log: () => LogBuffer,
    override: string | undefined,
    /** timekeeping_notify(): 0 when timekeeping now reads `cs` (change_clocksource took its module). */
    private readonly notify: (cs: Clocksource) => number,
    /** tick_oneshot_mode_active(). */
    private readonly oneshot: () => boolean,
  ) {
    // boot_override_clocksource(): the name is cut to CS_NAME_LEN - 1 (strscpy, clocksource.c:1537).
    this.overrideName = (override ?? '').slice(0, CS_NAME_LEN - 1)
  }

  /** __clocksource_register_scale(): the line it prints, the list, then clocksource_select(). */
  register(cs: Clocksource, timing: Parameters<typeof clocksourceTiming>[1], bits: number): void {
    const t = clocksourceTiming(bits, timing)
    this.log().printk(
      LOGLEVEL.INFO,
      `clocksource: ${cs.name}: mask: 0x${t.mask.toString(16)} max_cycles: 0x${t.maxCycles.toString(16)}, max_idle_ns: ${t.maxIdleNs} ns`,
    )
    const at = this.list.findIndex((other) => other.rating < cs.rating)
    this.list.splice(at < 0 ? this.list.length : at, 0, cs)
    this.select(false)
  }

  /** clocksource_done_booting() at fs_initcall: jiffies (the default clock) first, then the best. */
  doneBooting(): void {
    this.current = this.list.find((cs) => cs.name === 'jiffies')
    this.finishedBooting = true
    this.select(false)
  }

  /** clocksource_find_best() (clocksource.c:1002). */
  private findBest(oneshot: boolean, skipcur: boolean): Clocksource | undefined {
    if (!this.finishedBooting) return undefined
    return this.list.find((cs) => !(skipcur && cs === this.current) && (!oneshot || cs.hres))
  }

  /** __clocksource_select() (clocksource.c:1024); skipcur is clocksource_select_fallback(). */
  select(skipcur: boolean): void {
    const oneshot = this.oneshot()
    let best = this.findBest(oneshot, skipcur)
    if (!best) return
    const cs = this.overrideName
      ? this.list.find((c) => !(skipcur && c === this.current) && c.name === this.overrideName)
      : undefined
    if (cs && !cs.hres && oneshot) {
      // Only the watchdog marks a clocksource unstable, and arm64 has none: the override waits.
      this.log().printk(
        LOGLEVEL.INFO,
        `clocksource: Override clocksource ${cs.name} is not currently HRT compatible - deferring`,
      )
    } else if (cs) {
      best = cs
    }
    if (this.current !== best && this.notify(best) === 0) {
      this.log().printk(LOGLEVEL.INFO, `clocksource: Switched to clocksource ${best.name}`)
      this.current = best
    }
  }

  /** clocksource_unbind() (clocksource.c:1301): the current one only when a fallback took over. */
  unbind(cs: Clocksource): number {
    if (cs === this.current) {
      this.select(true)
      if (this.current === cs) return -ERRNO.EBUSY
    }
    const at = this.list.indexOf(cs)
    if (at >= 0) this.list.splice(at, 1)
    return 0
  }

  /** clocksource_unregister() of every clocksource a module's code registered (its exit); the first error. */
  unregisterCode(module: string): number {
    for (const cs of this.list.filter((c) => c.code === module)) {
      const ret = this.unbind(cs)
      if (ret !== 0) return ret
    }
    return 0
  }

  // ---------------------------------------------------------- sysfs (clocksource.c:1374-1490)

  currentName(): string {
    return `${this.current?.name ?? 'jiffies'}\n`
  }

  /** available_clocksource: non-HRES ones are hidden once the tick runs oneshot. */
  availableNames(): string {
    const oneshot = this.oneshot()
    return `${this.list
      .filter((cs) => !oneshot || cs.hres)
      .map((cs) => `${cs.name} `)
      .join('')}\n`
  }

  /** current_clocksource_store(): the override, then a selection. */
  writeCurrent(buf: string): number {
    const name = sysfsGetUname(buf)
    if (typeof name === 'number') return name
    this.overrideName = name
    this.select(false)
    return 0
  }

  /** unbind_clocksource_store(): -ENODEV for a name not registered. */
  writeUnbind(buf: string): number {
    const name = sysfsGetUname(buf)
    if (typeof name === 'number') return name
    const cs = this.list.find((c) => c.name === name)
    return cs ? this.unbind(cs) : -ERRNO.ENODEV
  }
}

/** sysfs_get_uname() (clocksource.c:1374): -EINVAL for nothing or CS_NAME_LEN bytes and more; one `\n` off. */
export function sysfsGetUname(buf: string): string | number {
  if (buf.length === 0 || buf.length >= CS_NAME_LEN) return -ERRNO.EINVAL
  return buf.endsWith('\n') ? buf.slice(0, -1) : buf
}
