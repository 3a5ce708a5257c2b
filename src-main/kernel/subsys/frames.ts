import { ERRNO } from '../../linux/errno'
import type { Kernel } from '../kernel'
import {
  interruptCount,
  interruptParent,
  isAvailable,
  propertyCells,
  type OfNode,
} from '../of-tree'
import type { EffectHandlers } from './effect-types'

/** irq_of_parse_and_map(): 0 without that interrupt or without a domain for its parent, else a new virq. */
function parseAndMap(kernel: Kernel, node: OfNode, index: number): number {
  if (index >= interruptCount(kernel.of, node)) return 0
  const parent = interruptParent(kernel.of, node)
  if (!parent || !kernel.providers.has(parent, 'interrupt')) return 0
  return kernel.mapInterrupts(1)[0] ?? 0
}

/**
 * A block of numbered frames, its available children, and the frame its driver uses: the
 * parsing of arch_timer_mem_of_init() (drivers/clocksource/arm_arch_timer.c:1608-1642), the scan
 * of arch_timer_mem_find_best_frame() (:1505) and the interrupt check of
 * arch_timer_mem_frame_register() (:1561).
 */
export const frameEffects = {
  select_frame: (effect, { kernel, values, device }) => {
    const node = kernel.of.all.find((candidate) => candidate.path === values.node)
    const slots: ({ irqs: Record<string, number> } | undefined)[] = []
    for (const child of node?.children.filter(isAvailable) ?? []) {
      const number = propertyCells(child, effect.number)[0]
      const fail =
        number === undefined
          ? effect.missingNumber
          : number >= effect.slots
            ? effect.badNumber
            : slots[number]
              ? effect.duplicate
              : undefined
      if (fail) {
        kernel.printMessages(fail, values, device)
        return { ret: -ERRNO.EINVAL }
      }
      const irqs = Object.fromEntries(
        Object.entries(effect.irqs).map(([name, index]) => [
          name,
          parseAndMap(kernel, child, index),
        ]),
      )
      slots[number as number] = { irqs }
    }
    // Frames whose access bits stick in CNTACR: the firmware's, all of them (no board says otherwise).
    const capable = BigInt(values[effect.capability.board] ?? 0)
    let best: { irqs: Record<string, number> } | undefined
    let choice = effect.fallback
    for (let slot = 0; slot < effect.slots; slot++) {
      const frame = slots[slot]
      if (!frame) continue
      best = frame
      const bit = BigInt(effect.capability.bit + slot * effect.capability.stride)
      if ((capable >> bit) & 1n) {
        choice = effect.preferred
        break
      }
    }
    if (!best) {
      kernel.printMessages(effect.none, values, device)
      return { ret: -ERRNO.EINVAL }
    }
    values[effect.var] = choice
    if (!best.irqs[choice]) {
      kernel.printMessages(effect.noIrq, values, device)
      return { ret: -ERRNO.EINVAL }
    }
    return undefined
  },
} satisfies EffectHandlers
