import { CLOCK_EVT_STATE, type ClockEventDevice, type TickDevice } from '../clockevents'
import type { Kernel } from '../kernel'
import { dir, file, type FileNode } from './pseudo-file'

const CLOCKSOURCE0 = '/sys/devices/system/clocksource/clocksource0'

/** kernel/time's files: the clocksource sysfs device (clocksource.c:1374-1490) and /proc/timer_list. */
export function timeFile(kernel: Kernel, path: string): FileNode | undefined {
  const cs = kernel.timekeeping.clocksources
  if (path === '/proc/timer_list') return file(() => procTimerList(kernel))
  if (path === '/sys/devices/system/clocksource') return dir(() => ['clocksource0'])
  if (path === CLOCKSOURCE0)
    return dir(() => ['available_clocksource', 'current_clocksource', 'unbind_clocksource'])
  if (path === `${CLOCKSOURCE0}/current_clocksource`)
    return file(
      () => cs.currentName(),
      (value) => cs.writeCurrent(value),
    )
  if (path === `${CLOCKSOURCE0}/available_clocksource`) return file(() => cs.availableNames())
  // 0200: reading it is refused as for any write-only attribute.
  if (path === `${CLOCKSOURCE0}/unbind_clocksource`)
    return file(
      () => '',
      (value) => cs.writeUnbind(value),
    )
  return clockeventsFile(kernel, path)
}

const CLOCKEVENTS = '/sys/devices/system/clockevents'

/**
 * The clockevents subsystem's devices (kernel/time/clockevents.c:669-784): `clockevent<N>` per
 * possible CPU with current_device (0444) and unbind_device (0200), and `broadcast` with
 * current_device; current_device is empty while the tick device has none.
 */
function clockeventsFile(kernel: Kernel, path: string): FileNode | undefined {
  const ce = kernel.timekeeping.clockevents
  if (path === CLOCKEVENTS)
    return dir(() => ['broadcast', ...ce.tick.map((_, cpu) => `clockevent${cpu}`)].sort())
  const match =
    /^\/sys\/devices\/system\/clockevents\/(broadcast|clockevent(\d+))(?:\/(\w+))?$/.exec(path)
  if (!match) return undefined
  const cpu = match[2] === undefined ? undefined : Number(match[2])
  const td = cpu === undefined ? ce.broadcast : ce.tick[cpu]
  if (!td || (cpu !== undefined && String(cpu) !== match[2])) return undefined
  const attr = match[3]
  if (attr === undefined)
    return dir(() => (cpu === undefined ? ['current_device'] : ['current_device', 'unbind_device']))
  if (attr === 'current_device') return file(() => (td.evtdev ? `${td.evtdev.name}\n` : ''))
  if (attr === 'unbind_device' && cpu !== undefined)
    return file(
      () => '',
      (value) => ce.writeUnbind(value, cpu),
    )
  return undefined
}

const KTIME_MAX = (1n << 63n) - 1n

/**
 * /proc/timer_list (kernel/time/timer_list.c, "v0.10"): the header and the tick devices, the
 * broadcast device first (timer_list_show_tickdevices_header(), :248) then each CPU's
 * (print_tickdevice(), :180). modlab has no hrtimer bases, so each CPU's `print_cpu()` part is
 * not shown; a device's next_event is its next tick (KTIME_MAX for an idle broadcast device).
 */
export function procTimerList(kernel: Kernel): string {
  const ce = kernel.timekeeping.clockevents
  const now = BigInt(kernel.clock.now)
  const tickNs = BigInt(1_000_000_000 / kernel.inputs.profile.hz)
  let out = 'Timer List Version: v0.10\nHRTIMER_MAX_CLOCK_BASES: 8\n'
  out += `now at ${now} nsecs\n\n`
  out += tickDevice(ce.broadcast, -1, undefined, KTIME_MAX)
  out += `tick_broadcast_mask: ${cpumaskBits(ce.cpus, [])}\n`
  out += `tick_broadcast_oneshot_mask: ${cpumaskBits(ce.cpus, [])}\n\n`
  const nextTick = (now / tickNs + 1n) * tickNs
  ce.tick.forEach((td, cpu) => {
    out += tickDevice(td, cpu, ce.wakeup[cpu], nextTick)
  })
  return out
}

function tickDevice(
  td: TickDevice,
  cpu: number,
  wakeup: ClockEventDevice | undefined,
  nextEvent: bigint,
): string {
  const dev = td.evtdev
  let out = `Tick Device: mode:     ${td.mode === 'oneshot' ? 1 : 0}\n`
  out += cpu < 0 ? 'Broadcast device\n' : `Per CPU device: ${cpu}\n`
  out += 'Clock Event Device: '
  if (!dev) return `${out}<NULL>\n`
  const next = dev.state === 'shutdown' || dev.state === 'detached' ? KTIME_MAX : nextEvent
  out += `${dev.name}\n`
  out += ` max_delta_ns:   ${dev.maxDeltaNs}\n`
  out += ` min_delta_ns:   ${dev.minDeltaNs}\n`
  out += ` mult:           ${dev.mult}\n`
  out += ` shift:          ${dev.shift}\n`
  out += ` mode:           ${CLOCK_EVT_STATE.indexOf(dev.state)}\n`
  out += ` next_event:     ${next} nsecs\n`
  // %ps of a NULL pointer prints 0x0.
  out += ` set_next_event: ${dev.ops.set_next_event ?? '0x0'}\n`
  if (dev.ops.shutdown) out += ` shutdown:       ${dev.ops.shutdown}\n`
  if (dev.ops.periodic) out += ` periodic:       ${dev.ops.periodic}\n`
  if (dev.ops.oneshot) out += ` oneshot:        ${dev.ops.oneshot}\n`
  if (dev.ops.oneshot_stopped) out += ` oneshot stopped: ${dev.ops.oneshot_stopped}\n`
  if (dev.ops.resume) out += ` resume:         ${dev.ops.resume}\n`
  out += ` event_handler:  ${dev.eventHandler ?? '0x0'}\n\n`
  out += ' retries:        0\n'
  if (cpu >= 0) out += `Wakeup Device: ${wakeup?.name ?? '<NULL>'}\n`
  return `${out}\n`
}

/** `%*pb` of a cpumask: hex words of nr_cpu_ids bits. */
function cpumaskBits(cpus: number, set: number[]): string {
  const value = set.reduce((mask, cpu) => mask | (1n << BigInt(cpu)), 0n)
  return value.toString(16).padStart(Math.ceil(cpus / 4), '0')
}
