import { ERRNO } from '../../linux/errno'
import type { Device } from '../device'
import type { OfNode } from '../of-tree'
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
  // of_match_device(table, dev->parent) (drivers/of/device.c:27): any of the parent node's compatibles.
  fail_unless_parent_compatible: (effect, { kernel, values, device }) => {
    const parent = device && parentNode(device)
    if (parent?.compatible.some((c) => effect.compatibles.includes(c))) return undefined
    kernel.printMessages(effect.messages, values, device)
    return { ret: -ERRNO[effect.errno] }
  },
  // dev_err_probe(dev, -EPROBE_DEFER, ...): the reason is recorded, not printed.
  defer: (effect, { values }) => ({
    ret: -ERRNO.EPROBE_DEFER,
    reason: renderTemplate(effect.reason, values),
  }),
} satisfies EffectHandlers

/**
 * The node of a device's struct device .parent: the device that added it (an MFD cell's MFD), else
 * its node's parent, whose device of_platform_populate(), an I2C adapter or an SPMI controller made
 * the parent (drivers/of/platform.c:140); a node below the root has platform_bus, with no node.
 */
function parentNode(device: Device): OfNode | undefined {
  if (device.parent) return device.parent.of
  const parent = device.of.parent
  return parent?.parent ? parent : undefined
}
