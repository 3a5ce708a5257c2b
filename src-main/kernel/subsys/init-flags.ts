import type { Kernel } from '../kernel'
import { isAvailable } from '../of-tree'
import { renderTemplate, type TemplateValues } from '../template'
import type { EffectHandlers } from './effect-types'

/**
 * A static the init functions of one driver share: a flag word (`__initdata` bitmask) with the
 * types set so far and the value each init remembered, or the vars the first init fixed.
 */
interface FlagWord {
  readonly set: Map<string, string>
  shared?: TemplateValues
}

/** Per kernel: each module's flag words by name (statics live as long as the boot does). */
const flagWords = new WeakMap<Kernel, Map<string, FlagWord>>()

function flagWord(kernel: Kernel, module: string, flag: string): FlagWord {
  let words = flagWords.get(kernel)
  if (!words) flagWords.set(kernel, (words = new Map()))
  const key = `${module}:${flag}`
  let word = words.get(key)
  if (!word) words.set(key, (word = { set: new Map() }))
  return word
}

/**
 * Init functions that cooperate through a static flag word: each sets its type, and the one that
 * finds no sibling left to wait for does the common part (arch_timer_needs_of_probing(),
 * drivers/clocksource/arm_arch_timer.c:1347).
 */
export const initFlagEffects = {
  init_flag: (effect, { kernel, def, values, device }) => {
    const word = flagWord(kernel, def.module, effect.flag)
    if (effect.ifSet && word.set.has(effect.type)) {
      kernel.printMessages(effect.ifSet, values, device)
      return { ret: 0 }
    }
    word.set.set(effect.type, renderTemplate(effect.value ?? effect.type, values))
    return undefined
  },
  // A static set once ("Who has more than one independent system counter?", arm_arch_timer.c:1066).
  init_static: (effect, { kernel, def, values }) => {
    const word = flagWord(kernel, def.module, effect.name)
    if (word.shared) Object.assign(values, word.shared)
    else word.shared = Object.fromEntries(effect.vars.map((name) => [name, values[name]]))
    return undefined
  },
  init_flag_wait: (effect, { kernel, def, values }) => {
    const word = flagWord(kernel, def.module, effect.flag)
    for (const { type, compatible } of effect.types) {
      if (word.set.has(type)) continue
      // of_find_matching_node(): the first node in the tree that matches, then whether it is available.
      const node = kernel.of.all.find((candidate) =>
        candidate.compatible.some((name) => compatible.includes(name)),
      )
      if (node && isAvailable(node)) return { ret: 0 }
    }
    const present = effect.types.filter(({ type }) => word.set.has(type))
    values[effect.flag] = present.map(({ type }) => type).join(effect.join)
    values[`${effect.flag}.value`] = present
      .map(({ type }) => word.set.get(type))
      .join(effect.valueJoin)
    return undefined
  },
} satisfies EffectHandlers
