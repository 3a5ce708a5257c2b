import { renderTemplate, type TemplateValues } from '../template'
import type { EffectHandlers } from './effect-types'

/** printk() and dev_printk() from driver data. */
export const printkEffects = {
  print: (effect, { kernel, values, device }) => {
    if (effect.if !== undefined && !isSet(values[effect.if])) return undefined
    const text = renderTemplate(effect.text, values)
    if (effect.dev && device) kernel.devPrintk(effect.level, device, text)
    else kernel.printk(effect.level, text)
    return undefined
  },
} satisfies EffectHandlers

/** A condition of driver or boot data: the value is there and not 0 (nor an empty string). */
export function isSet(value: TemplateValues[string]): boolean {
  return value !== undefined && value !== 0 && value !== 0n && value !== ''
}
