import {
  cpumaskEqual,
  cpumaskOf,
  cpumaskTest,
  type ClockEventDevice,
  type ClockEvents,
} from './clockevents'
import { tickInstallBroadcastDevice, tickIsBroadcastDevice } from './tick-broadcast'

/*
 * kernel/time/tick-common.c: which clock event device becomes a CPU's tick device. The rules and
 * the module reference are 6.12's, line for line.
 */

/** tick_check_percpu() (tick-common.c:272): can the device serve this CPU's tick? */
export function tickCheckPercpu(
  curdev: ClockEventDevice | undefined,
  newdev: ClockEventDevice,
  cpu: number,
): boolean {
  if (!cpumaskTest(newdev.cpumask, cpu)) return false
  if (cpumaskEqual(newdev.cpumask, cpumaskOf(cpu))) return true
  if (newdev.irqPinned) return false
  // Prefer an existing cpu local device.
  if (curdev && cpumaskEqual(curdev.cpumask, cpumaskOf(cpu))) return false
  return true
}

/** tick_check_preferred() (tick-common.c:288): oneshot first, then rating, then a CPU-local device. */
export function tickCheckPreferred(
  ce: ClockEvents,
  curdev: ClockEventDevice | undefined,
  newdev: ClockEventDevice,
): boolean {
  if (!newdev.features.has('ONESHOT')) {
    if (curdev?.features.has('ONESHOT')) return false
    if (ce.oneshotActive) return false
  }
  return !curdev || newdev.rating > curdev.rating || !cpumaskEqual(curdev.cpumask, newdev.cpumask)
}

/** tick_check_replacement() (tick-common.c:312). */
export function tickCheckReplacement(
  ce: ClockEvents,
  curdev: ClockEventDevice | undefined,
  newdev: ClockEventDevice,
  cpu: number,
): boolean {
  return tickCheckPercpu(curdev, newdev, cpu) && tickCheckPreferred(ce, curdev, newdev)
}

/**
 * tick_check_new_device() (tick-common.c:325): the better device takes the CPU's tick with a
 * reference on its owner (try_module_get, :338), the one it replaces is released with a
 * module_put (clockevents_exchange_device); one that loses may become the broadcast or wakeup
 * device (out_bc, :356).
 */
export function tickCheckNewDevice(ce: ClockEvents, newdev: ClockEventDevice, cpu: number): void {
  const td = ce.tick[cpu]
  if (!td) return
  let curdev = td.evtdev
  if (!tickCheckReplacement(ce, curdev, newdev, cpu)) {
    tickInstallBroadcastDevice(ce, newdev, cpu)
    return
  }
  if (!ce.refs().get(newdev.owner)) return
  // The broadcast device is not given back to the clockevents layer (:346).
  if (curdev && tickIsBroadcastDevice(ce, curdev)) {
    curdev.state = 'shutdown'
    curdev = undefined
  }
  ce.exchange(curdev, newdev)
  ce.setupDevice(td, newdev, cpu)
}
