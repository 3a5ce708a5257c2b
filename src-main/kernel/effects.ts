import type { DriverDefinition } from '../catalog/driver-schema'
import type { ProbeEffect } from '../catalog/probe-effects-schema'
import type { Device, ProbeOutcome } from './device'
import type { Kernel } from './kernel'
import { consoleEffects } from './subsys/console'
import type { EffectHandler, EffectKind } from './subsys/effect-types'
import { childNodeEffects, irqEffects } from './subsys/irq'
import { printkEffects } from './subsys/printk'
import { probeResultEffects } from './subsys/probe-result'
import { timeEffects } from './subsys/time'
import { initFlagEffects } from './subsys/init-flags'
import { frameEffects } from './subsys/frames'
import type { TemplateValues } from './template'

/**
 * Every effect kind driver data may use, and the subsystem that carries it out: a new subsystem
 * adds its file and one line here. `satisfies` makes a kind without a handler a type error.
 */
const EFFECT_HANDLERS: { [K in EffectKind]: EffectHandler<K> } = {
  ...printkEffects,
  ...timeEffects,
  ...initFlagEffects,
  ...frameEffects,
  ...consoleEffects,
  ...irqEffects,
  ...childNodeEffects,
  ...probeResultEffects,
}

/** Runs a driver's init or probe effects in order; 0, or the first error (and deferral reason). */
export function runEffects(
  kernel: Kernel,
  def: DriverDefinition,
  effects: readonly ProbeEffect[],
  values: TemplateValues,
  device?: Device,
): ProbeOutcome {
  for (const effect of effects) {
    const handler = EFFECT_HANDLERS[effect.kind] as EffectHandler<EffectKind>
    const outcome = handler(effect, { kernel, def, values, device })
    if (outcome) return outcome
  }
  return { ret: 0 }
}
