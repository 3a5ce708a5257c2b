import type { OfNode } from '../of-tree'
import type { ResourceClass } from './resource-types'

function isRegulatorNode(node: OfNode): boolean {
  return node.node.properties.some((property) => property.name.startsWith('regulator-'))
}

/**
 * Regulators: a `<name>-supply` whose regulator has not registered is -EPROBE_DEFER
 * (drivers/regulator/of_regulator.c:674); a supply the node does not name at all gets the dummy
 * regulator (drivers/regulator/core.c:2219), see `supplies` in driver data.
 */
export const regulatorResource: ResourceClass = {
  kind: 'regulator',
  consumes: (name) => (name.endsWith('-supply') ? {} : undefined),
  provides: isRegulatorNode,
  whenMissing: 'defer',
  source: 'drivers/regulator/of_regulator.c:674',
}
