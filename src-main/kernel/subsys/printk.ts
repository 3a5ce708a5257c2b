import { renderTemplate } from '../template'
import type { EffectHandlers } from './effect-types'

/** printk() and dev_printk() from driver data. */
export const printkEffects = {
  print: (effect, { kernel, values, device }) => {
    const text = renderTemplate(effect.text, values)
    if (effect.dev && device) kernel.devPrintk(effect.level, device, text)
    else kernel.printk(effect.level, text)
    return undefined
  },
} satisfies EffectHandlers
