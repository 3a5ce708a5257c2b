import { CPU_CAPABILITIES } from '../../linux/cpu-errata'
import type { Kernel } from '../kernel'
import { cpuFacts } from '../smp'
import { isAvailable } from '../of-tree'
import { renderTemplate, type TemplateValues } from '../template'
import type { EffectHandlers } from './effect-types'

/** printk() and dev_printk() from driver data. */
export const printkEffects = {
  print: (effect, { kernel, values, device }) => {
    if (effect.if !== undefined && !conditionHolds(kernel, effect.if, values)) return undefined
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

/**
 * A data condition: a template value that is set; `compatible:<string>`, an available node of the
 * tree with that compatible (of_find_compatible_node(), as an initcall walking them sees);
 * `cpucap:<desc>`, a CPU capability the boot CPU's core has; `config:CONFIG_X`, a Kconfig symbol
 * of the build set to y or m (an IS_ENABLED() test); any of them negated by a leading `!`, and
 * several joined by ` && `.
 */
export function conditionHolds(kernel: Kernel, condition: string, values: TemplateValues): boolean {
  if (condition.includes(' && '))
    return condition.split(' && ').every((part) => conditionHolds(kernel, part, values))
  if (condition.startsWith('!')) return !conditionHolds(kernel, condition.slice(1), values)
  if (condition.startsWith('config:')) {
    const value = kernel.inputs.profile.config[condition.slice('config:'.length)]
    return value === 'y' || value === 'm'
  }
  if (condition.startsWith('cpucap:')) {
    // A capability the boot CPU has (linux/cpu-errata.ts); one the table does not know holds.
    const matches = CPU_CAPABILITIES[condition.slice('cpucap:'.length)]
    return !matches || matches(cpuFacts(kernel.inputs.board, 0).midr)
  }
  if (!condition.startsWith('compatible:')) return isSet(values[condition])
  const compatible = condition.slice('compatible:'.length)
  return kernel.of.all.some((node) => node.compatible.includes(compatible) && isAvailable(node))
}
