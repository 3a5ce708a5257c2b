import { findProperty, stringList } from '../hardware/devicetree'
import { propertyCells, type OfNode, type OfTree } from './of-tree'

/**
 * clk_get_rate(of_clk_get_by_name(node, name)) for the clocks a timer reads at time_init(): the
 * providers registered that early, fixed-clock (drivers/clk/clk-fixed-rate.c) and
 * fixed-factor-clock (clk-fixed-factor.c, parent rate * clock-mult / clock-div). Undefined for a
 * clock of any other provider.
 */
export function ofClockRate(tree: OfTree, node: OfNode, name: string | number): number | undefined {
  const names = stringList(findProperty(node.node, 'clock-names'))
  const index = typeof name === 'number' ? name : names.indexOf(name)
  if (index < 0) return undefined
  const provider = clockProvider(tree, node, index)
  if (!provider) return undefined
  if (provider.compatible.includes('fixed-clock'))
    return propertyCells(provider, 'clock-frequency')[0]
  if (provider.compatible.includes('fixed-factor-clock')) {
    const parent = ofClockRate(tree, provider, 0)
    const mult = propertyCells(provider, 'clock-mult')[0]
    const div = propertyCells(provider, 'clock-div')[0]
    if (parent === undefined || !mult || !div) return undefined
    return Math.floor((parent * mult) / div)
  }
  return undefined
}

/** The provider node of the `index`th entry of `clocks` (phandle plus #clock-cells arguments). */
function clockProvider(tree: OfTree, node: OfNode, index: number): OfNode | undefined {
  const cells = propertyCells(node, 'clocks')
  for (let at = 0, entry = 0; at < cells.length; entry++) {
    const provider = tree.byPhandle.get(cells[at] ?? 0)
    if (entry === index) return provider
    at += 1 + ((provider && propertyCells(provider, '#clock-cells')[0]) ?? 0)
  }
  return undefined
}
