import { cpumaskEqual, cpumaskOf, type ClockEventDevice, type ClockEvents } from './clockevents'

/*
 * kernel/time/tick-broadcast.c: the broadcast device that wakes CPUs whose local timer stops in
 * deep idle (CLOCK_EVT_FEAT_C3STOP), and the per-CPU oneshot wakeup devices (6.12).
 */

export function tickIsBroadcastDevice(ce: ClockEvents, dev: ClockEventDevice | undefined): boolean {
  return dev !== undefined && ce.broadcast.evtdev === dev
}

/** tick_check_broadcast_device() (tick-broadcast.c:86): global, not stopping in idle, rated higher. */
function tickCheckBroadcastDevice(
  ce: ClockEvents,
  curdev: ClockEventDevice | undefined,
  newdev: ClockEventDevice,
): boolean {
  const f = newdev.features
  if (f.has('DUMMY') || f.has('PERCPU') || f.has('C3STOP')) return false
  if (ce.broadcast.mode === 'oneshot' && !f.has('ONESHOT')) return false
  return !curdev || newdev.rating > curdev.rating
}

/**
 * tick_set_oneshot_wakeup_device() (tick-broadcast.c:116): a per-CPU oneshot device that keeps
 * running in idle wakes its CPU instead of the broadcast device, pinning its owner (:138).
 */
function tickSetOneshotWakeupDevice(
  ce: ClockEvents,
  newdev: ClockEventDevice,
  cpu: number,
): boolean {
  const curdev = ce.wakeup[cpu]
  const f = newdev.features
  if (f.has('DUMMY') || f.has('C3STOP')) return false
  if (!f.has('PERCPU') || !f.has('ONESHOT')) return false
  if (!cpumaskEqual(newdev.cpumask, cpumaskOf(cpu))) return false
  if (curdev && newdev.rating <= curdev.rating) return false
  if (!ce.refs().get(newdev.owner)) return false
  newdev.eventHandler = 'tick_oneshot_wakeup_handler'
  ce.exchange(curdev, newdev)
  ce.wakeup[cpu] = newdev
  return true
}

/**
 * tick_install_broadcast_device() (tick-broadcast.c:163): the wakeup device first, else the
 * better-rated broadcast device, with try_module_get() on the new one's owner (:176) and
 * module_put() on the replaced one's (:189).
 */
export function tickInstallBroadcastDevice(
  ce: ClockEvents,
  dev: ClockEventDevice,
  cpu: number,
): void {
  if (tickSetOneshotWakeupDevice(ce, dev, cpu)) return
  const cur = ce.broadcast.evtdev
  if (!tickCheckBroadcastDevice(ce, cur, dev)) return
  if (!ce.refs().get(dev.owner)) return
  ce.exchangeNoPut(cur, dev)
  if (cur) cur.eventHandler = 'clockevents_handle_noop'
  ce.broadcast.evtdev = dev
  if (cur) ce.refs().put(cur.owner)
  // tick_broadcast_switch_to_oneshot() when the CPUs already run in oneshot mode (:198).
  if (dev.features.has('ONESHOT') && ce.broadcast.mode === 'oneshot') {
    dev.eventHandler = 'tick_handle_oneshot_broadcast'
  }
}

/**
 * tick_broadcast_switch_to_oneshot() and tick_broadcast_setup_oneshot() (tick-broadcast.c): once
 * the CPUs run in oneshot mode the broadcast device is driven by tick_handle_oneshot_broadcast,
 * armed only when a CPU enters deep idle (KTIME_MAX until then).
 */
export function tickBroadcastSwitchToOneshot(ce: ClockEvents): void {
  ce.broadcast.mode = 'oneshot'
  const bc = ce.broadcast.evtdev
  if (bc) bc.eventHandler = 'tick_handle_oneshot_broadcast'
}
