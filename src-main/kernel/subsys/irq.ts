import { hasProperty, type ResourceClass } from './resource-types'
import type { EffectHandlers } from './effect-types'

/** kernel/irq: interrupts a driver allocates for itself (an interrupt controller's IPIs). */
export const irqEffects = {
  reserve_irqs: (effect, { kernel }) => {
    kernel.reserveVirqs(effect.count)
    return undefined
  },
} satisfies EffectHandlers

/**
 * Interrupts: platform_get_irq() -> of_irq_get() finds no irq domain for the interrupt parent
 * and returns -EPROBE_DEFER (drivers/of/irq.c:470). The parent comes from the tree (resources.ts).
 */
export const interruptResource: ResourceClass = {
  kind: 'interrupt',
  consumes: (name) => (name === 'interrupts-extended' ? { cells: '#interrupt-cells' } : undefined),
  provides: (node) => hasProperty(node, 'interrupt-controller'),
  whenMissing: 'defer',
  source: 'drivers/of/irq.c:470',
}
