import { numberOf, type EffectHandlers } from './effect-types'

/** kernel/time: clocksources, clock event devices and sched_clock a timer driver registers. */
export const timeEffects = {
  clocksource: (effect, { kernel, def, values }) => {
    kernel.timekeeping.registerClocksource(
      { name: effect.name, rating: effect.rating, hres: effect.hres, owner: def.module },
      { hz: numberOf(effect.hz, values) },
      numberOf(effect.bits, values),
    )
    return undefined
  },
  clockevent: (effect, { kernel, def }) => {
    kernel.timekeeping.registerClockevent({
      name: effect.name,
      rating: effect.rating,
      perCpu: effect.perCpu,
      owner: def.module,
    })
    return undefined
  },
  sched_clock: (effect, { kernel, values }) => {
    kernel.timekeeping.registerSchedClock(
      numberOf(effect.bits, values),
      numberOf(effect.hz, values),
    )
    return undefined
  },
  delay_timer: (effect, { kernel, values }) => {
    kernel.timekeeping.delayTimerHz = numberOf(effect.hz, values)
    return undefined
  },
} satisfies EffectHandlers
