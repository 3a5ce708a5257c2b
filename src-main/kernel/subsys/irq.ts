import { ERRNO } from '../../linux/errno'
import { interruptParent, isAvailable, propertyCells, translatedReg, type OfNode } from '../of-tree'
import type { Kernel } from '../kernel'
import type { TemplateValues } from '../template'
import { hasProperty, type ResourceClass } from './resource-types'
import type { EffectHandlers } from './effect-types'

/** kernel/irq: interrupts a driver allocates for itself (an interrupt controller's IPIs). */
export const irqEffects = {
  reserve_irqs: (effect, { kernel }) => {
    kernel.reserveVirqs(effect.count)
    return undefined
  },
  of_irq_get: (effect, { kernel, values, device }) => {
    const node = device?.of ?? kernel.of.all.find((candidate) => candidate.path === values.node)
    const parent = node && interruptParent(kernel.of, node)
    if (parent && kernel.providers.has(parent, 'interrupt')) return undefined
    kernel.printMessages(effect.messages, values, device)
    return { ret: -ERRNO[effect.errno] }
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

/** An init that walks its node's children of one compatible (its_of_probe() for GICv3's ITS). */
export const childNodeEffects = {
  for_each_child: (effect, { kernel, values, device }) => {
    const node = kernel.of.all.find((candidate) => candidate.path === values.node)
    const parent = effect.under
      ? node?.children.find((child) => child.node.name === effect.under)
      : node
    const described = parent?.children.filter(
      (child) => effect.compatible === undefined || child.compatible.includes(effect.compatible),
    )
    const available = described?.filter(isAvailable) ?? []
    available.forEach((child, index) => {
      const extra = { ...childValues(child), ...partitionValues(kernel, child, index) }
      kernel.printMessages(effect.each, { ...values, ...extra }, device)
    })
    if (available.length > 0) kernel.printMessages(effect.after, values, device)
    else if (described && described.length > 0)
      kernel.printMessages(effect.noneAvailable, values, device)
    else kernel.printMessages(effect.noneDescribed, values, device)
    return undefined
  },
} satisfies EffectHandlers

/** A child's first reg range, translated: `{child.reg}` its start, `{child.end}` its last byte. */
function childValues(child: OfNode): TemplateValues {
  const start = translatedReg(child)
  if (start === undefined) return {}
  const sizeCells = propertyCells(child.parent ?? child, '#size-cells')[0] ?? 1
  const addressCells = propertyCells(child.parent ?? child, '#address-cells')[0] ?? 2
  const size = propertyCells(child, 'reg')
    .slice(addressCells, addressCells + sizeCells)
    .reduce((sum, cell) => (sum << 32n) | BigInt(cell), 0n)
  return { 'child.reg': start, 'child.end': start + size - 1n }
}

/** A child's name without its unit address (`%pOFn`), its index, and its `affinity` CPUs. */
function partitionValues(kernel: Kernel, child: OfNode, index: number): TemplateValues {
  const cpus = kernel.of.all.filter(
    (node) => node.parent?.path === '/cpus' && node.node.name.startsWith('cpu@'),
  )
  const affinity = propertyCells(child, 'affinity')
    .map((phandle) => kernel.of.byPhandle.get(phandle))
    .map((cpu) => (cpu ? `${cpu.path}[${cpus.indexOf(cpu)}] ` : ''))
    .join('')
  return {
    'child.name': child.node.name.split('@')[0],
    'child.index': index,
    'child.affinity': affinity,
  }
}
