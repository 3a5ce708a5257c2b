import type { EffectHandlers } from './effect-types'

/** kernel/irq: interrupts a driver allocates for itself (an interrupt controller's IPIs). */
export const irqEffects = {
  reserve_irqs: (effect, { kernel }) => {
    kernel.reserveVirqs(effect.count)
    return undefined
  },
} satisfies EffectHandlers
