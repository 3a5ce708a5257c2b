import type { DriverDefinition } from '../../catalog/driver-schema'
import type { ProbeEffect } from '../../catalog/probe-effects-schema'
import type { Device, ProbeOutcome } from '../device'
import type { Kernel } from '../kernel'
import type { TemplateValues } from '../template'

/** What an effect runs against: the kernel, the driver, its template values, and the device it probes. */
export interface EffectContext {
  kernel: Kernel
  def: DriverDefinition
  values: TemplateValues
  device?: Device
}

export type EffectKind = ProbeEffect['kind']

/** Carries out one effect; a returned outcome ends the init or probe with it. */
export type EffectHandler<K extends EffectKind> = (
  effect: Extract<ProbeEffect, { kind: K }>,
  context: EffectContext,
) => ProbeOutcome | undefined

/** A subsystem's handlers, by the effect kinds it owns. */
export type EffectHandlers = { [K in EffectKind]?: EffectHandler<K> }

/** A number in driver data, or the name of a template value holding it. */
export function numberOf(value: number | string, values: TemplateValues): number {
  return typeof value === 'number' ? value : Number(values[value] ?? Number.NaN)
}
