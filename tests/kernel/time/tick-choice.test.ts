import { describe, expect, it } from 'vitest'
import {
  ClockEvents,
  type ClockEventDevice,
  type ClockEventFeature,
} from '../../../src-main/kernel/clockevents'
import { tickCheckPercpu, tickCheckPreferred } from '../../../src-main/kernel/tick-common'

/** A device as a driver registers it (detached until the tick code takes it). */
function device(
  name: string,
  rating: number,
  cpumask: ClockEventDevice['cpumask'],
  features: ClockEventFeature[],
  owner?: string,
): ClockEventDevice {
  return {
    name,
    rating,
    cpumask,
    features: new Set(features),
    irqPinned: false,
    ...(owner ? { owner } : {}),
    state: 'detached',
    mult: 1n,
    shift: 0n,
    minDeltaNs: 1000n,
    maxDeltaNs: 1000n,
    ops: {},
  }
}

/** The clockevents layer with a reference count per owner, as try_module_get/module_put keep it. */
function clockevents(cpus = 2) {
  const refs = new Map<string, number>()
  const ce = new ClockEvents(cpus, () => ({
    get: (owner) => {
      if (owner) refs.set(owner, (refs.get(owner) ?? 0) + 1)
      return true
    },
    put: (owner) => {
      if (owner) refs.set(owner, (refs.get(owner) ?? 0) - 1)
    },
  }))
  return { ce, refs }
}

describe('tick device choice (kernel/time/tick-common.c, tick-broadcast.c)', () => {
  it('prefers an existing CPU-local device over a global one (tick_check_percpu)', () => {
    const local = device('arch_sys_timer', 450, { cpu: 0 }, ['ONESHOT', 'C3STOP'])
    const global = device('mtk-clkevt', 300, 'possible', ['ONESHOT', 'DYNIRQ'])
    expect(tickCheckPercpu(local, global, 0)).toBe(false)
    expect(tickCheckPercpu(undefined, global, 0)).toBe(true)
    expect(tickCheckPercpu(undefined, device('x', 1, { cpu: 1 }, ['ONESHOT']), 0)).toBe(false)
  })

  it('keeps a oneshot device against a periodic one, then takes the rating or a CPU-local device (tick_check_preferred)', () => {
    const { ce } = clockevents()
    const oneshot = device('a', 100, 'possible', ['ONESHOT'])
    const periodic = device('b', 500, 'possible', ['PERIODIC'])
    expect(tickCheckPreferred(ce, oneshot, periodic)).toBe(false)
    // A oneshot newcomer still needs the higher rating or another cpumask.
    expect(tickCheckPreferred(ce, periodic, oneshot)).toBe(false)
    expect(tickCheckPreferred(ce, device('c', 450, 'possible', ['ONESHOT']), oneshot)).toBe(false)
    expect(tickCheckPreferred(ce, oneshot, device('d', 50, { cpu: 0 }, ['ONESHOT']))).toBe(true)
  })

  it('makes a global timer that loses the tick the broadcast device, pinning its module', () => {
    const { ce, refs } = clockevents()
    ce.register(device('arch_sys_timer', 450, { cpu: 0 }, ['ONESHOT', 'C3STOP']), 0)
    ce.register(device('mtk-clkevt', 300, 'possible', ['ONESHOT', 'DYNIRQ'], 'timer_mediatek'), 0)
    expect(ce.tick[0]?.evtdev?.name).toBe('arch_sys_timer')
    expect(ce.broadcast.evtdev?.name).toBe('mtk-clkevt')
    expect(refs.get('timer_mediatek')).toBe(1)
  })

  it('never makes a C3STOP or per-CPU device the broadcast device (tick_check_broadcast_device)', () => {
    const { ce } = clockevents()
    ce.register(device('local', 450, { cpu: 0 }, ['ONESHOT']), 0)
    ce.register(device('stops', 300, 'possible', ['ONESHOT', 'C3STOP']), 0)
    ce.register(device('percpu', 300, 'possible', ['ONESHOT', 'PERCPU']), 0)
    expect(ce.broadcast.evtdev).toBeUndefined()
  })

  it('replaces a lower-rated broadcast device, giving back its reference (tick_install_broadcast_device)', () => {
    const { ce, refs } = clockevents()
    ce.register(device('local', 450, { cpu: 0 }, ['ONESHOT']), 0)
    ce.register(device('low', 100, 'possible', ['ONESHOT'], 'low_mod'), 0)
    ce.register(device('high', 300, 'possible', ['ONESHOT'], 'high_mod'), 0)
    expect(ce.broadcast.evtdev?.name).toBe('high')
    expect(refs.get('low_mod')).toBe(0)
    expect(refs.get('high_mod')).toBe(1)
  })

  it('makes a per-CPU oneshot device that keeps running in idle the CPU wakeup device', () => {
    const { ce, refs } = clockevents()
    ce.register(device('mct_tick0', 350, { cpu: 0 }, ['PERIODIC', 'ONESHOT', 'PERCPU'], 'mct'), 0)
    expect(ce.tick[0]?.evtdev?.name).toBe('mct_tick0')
    // The arch timer takes the tick; the released MCT tick comes back as CPU0's wakeup device.
    ce.register(device('arch_sys_timer', 450, { cpu: 0 }, ['ONESHOT', 'C3STOP']), 0)
    expect(ce.tick[0]?.evtdev?.name).toBe('arch_sys_timer')
    expect(ce.wakeup[0]?.name).toBe('mct_tick0')
    // Taken by the tick, given back by clockevents_exchange_device, taken again as wakeup device.
    expect(refs.get('mct')).toBe(1)
  })

  it('unbinds a detached device, refuses the broadcast device, replaces a tick device only with a spare', () => {
    const { ce } = clockevents(1)
    const spare = device('spare', 100, { cpu: 0 }, ['ONESHOT'])
    const tick = device('tick', 450, { cpu: 0 }, ['ONESHOT'])
    const bc = device('bc', 300, 'possible', ['ONESHOT'])
    ce.register(spare, 0)
    ce.register(tick, 0)
    ce.register(bc, 0)
    expect(ce.unbindDevice(bc, 0)).toBe(-16)
    expect(ce.unbindDevice(tick, 0)).toBe(0)
    expect(ce.tick[0]?.evtdev).toBe(spare)
    expect(ce.unbindDevice(spare, 0)).toBe(-16)
  })
})

describe('unbind_device (kernel/time/clockevents.c:694 unbind_device_store)', () => {
  it('finds the newest device of the name: another CPU’s per-CPU timer is busy, the own one is replaced', () => {
    const { ce, refs } = clockevents(2)
    // C3STOP: once it loses the tick it cannot be the broadcast device either, so it stays detached.
    const spare = device('spare', 100, { cpu: 1 }, ['ONESHOT', 'C3STOP'])
    ce.register(spare, 1)
    ce.register(device('local', 450, { cpu: 0 }, ['ONESHOT'], 'mod'), 0)
    ce.register(device('local', 450, { cpu: 1 }, ['ONESHOT'], 'mod'), 1)
    expect(refs.get('mod')).toBe(2)
    // The newest `local` is CPU1's: from clockevent0 it is in use elsewhere.
    expect(ce.writeUnbind('local\n', 0)).toBe(-16)
    // From clockevent1 the spare, detached since it lost the tick, takes over; the module's reference goes.
    expect(ce.writeUnbind('local\n', 1)).toBe(0)
    expect(ce.tick[1]?.evtdev).toBe(spare)
    expect(refs.get('mod')).toBe(1)
    expect(ce.devices.filter((dev) => dev.name === 'local')).toHaveLength(1)
  })

  it('refuses a module’s broadcast device and keeps its reference; names what is wrong with the name', () => {
    const { ce, refs } = clockevents(1)
    ce.register(device('tick', 450, { cpu: 0 }, ['ONESHOT', 'C3STOP']), 0)
    ce.register(device('global', 300, 'possible', ['ONESHOT'], 'mod'), 0)
    expect(ce.broadcast.evtdev?.name).toBe('global')
    expect(ce.writeUnbind('global', 0)).toBe(-16)
    expect(ce.broadcast.evtdev?.name).toBe('global')
    expect(refs.get('mod')).toBe(1)
    expect(ce.writeUnbind('nosuch\n', 0)).toBe(-19)
    expect(ce.writeUnbind('', 0)).toBe(-22)
    expect(ce.writeUnbind('x'.repeat(32), 0)).toBe(-22)
  })
})
