import type { ProbeEffect } from '../../catalog/probe-effects-schema'
import type { ClockEventFeature } from '../clockevents'
import { renderTemplate, type TemplateValues } from '../template'
import { numberOf, type EffectHandlers } from './effect-types'

type ClockeventEffect = Extract<ProbeEffect, { kind: 'clockevent' }>

/** The features a clockevent effect sets: a conditional one when its var is 0 or unset. */
function featuresOf(effect: ClockeventEffect, values: TemplateValues): ClockEventFeature[] {
  return effect.features.flatMap((entry) => {
    if (typeof entry === 'string') return [entry]
    const value = values[entry.unless]
    return value === undefined || Number(value) === 0 ? [entry.feature] : []
  })
}

function maxDeltaOf(effect: ClockeventEffect, values: TemplateValues): bigint {
  if (typeof effect.maxDelta === 'number') return BigInt(effect.maxDelta)
  const bits = numberOf(effect.maxDelta.mask, values)
  return bits >= 64 ? (1n << 64n) - 1n : (1n << BigInt(bits)) - 1n
}

/** kernel/time: clocksources, clock event devices and sched_clock a timer driver registers. */
export const timeEffects = {
  clocksource: (effect, { kernel, def, values }) => {
    kernel.timekeeping.registerClocksource(
      {
        name: renderTemplate(effect.name, values),
        rating: effect.rating,
        hres: effect.hres,
        ...(effect.owner ? { owner: def.module } : {}),
        ...(kernel.isBuiltIn(def) ? {} : { code: def.module }),
      },
      { hz: numberOf(effect.hz, values) },
      numberOf(effect.bits, values),
    )
    return undefined
  },
  clockevent: (effect, { kernel, def, values }) => {
    const timekeeping = kernel.timekeeping
    // try_module_get(NULL) pins nothing: only a driver that sets .owner keeps its module in.
    const owner = effect.owner ? def.module : undefined
    const ops = Object.fromEntries(
      Object.entries(effect.ops).map(([op, name]) => [op, renderTemplate(name, values)]),
    )
    const register = (cpu: number, cpumask: { cpu: number } | 'possible') =>
      timekeeping.registerClockevent(
        {
          name: renderTemplate(effect.name, { ...values, cpu }),
          rating: effect.rating,
          features: featuresOf(effect, values),
          cpumask,
          owner,
          ...(kernel.isBuiltIn(def) ? {} : { code: def.module }),
          hz: Math.floor(numberOf(effect.hz, values) / effect.hzDivider),
          minDeltaTicks: BigInt(effect.minDelta),
          maxDeltaTicks: maxDeltaOf(effect, values),
          ops,
        },
        cpu,
      )
    if (effect.cpumask === 'percpu') timekeeping.cpuhpSetupState((cpu) => register(cpu, { cpu }))
    else register(0, effect.cpumask === 'cpu0' ? { cpu: 0 } : 'possible')
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
