import { ERRNO } from '../../linux/errno'
import { renderTemplate } from '../template'
import type { EffectHandlers } from './effect-types'

/** How a probe ends, and the time it spends on the way. */
export const probeResultEffects = {
  delay: (effect, { kernel }) => {
    kernel.spendUs(effect.us)
    return undefined
  },
  fail: (effect) => ({ ret: -ERRNO[effect.errno] }),
  // of_match_device() keeps the table entry of the node's earliest compatible (__of_match_node).
  fail_unless_first_compatible: (effect, { def, device }) => {
    const compatible = device?.of.compatible ?? []
    const best = compatible.find((c) => def.compatible.includes(c))
    return best !== undefined && effect.compatibles.includes(best) && best !== compatible[0]
      ? { ret: -ERRNO[effect.errno] }
      : undefined
  },
  // dev_err_probe(dev, -EPROBE_DEFER, ...): the reason is recorded, not printed.
  defer: (effect, { values }) => ({
    ret: -ERRNO.EPROBE_DEFER,
    reason: renderTemplate(effect.reason, values),
  }),
} satisfies EffectHandlers
