import {
  isGpioProperty,
  isPlainPhandleProperty,
  PHANDLE_WITH_ARGS,
} from '../hardware/phandle-properties'
import { isAvailable, propertyCells, type OfNode, type OfTree } from './of-tree'

/** A supplier named by one of the consumer node's properties. */
export interface SupplierRef {
  supplier: OfNode
  property: string
}

export type FwDevlinkMode = 'off' | 'permissive' | 'on' | 'rpm'

/** of_get_compat_node(): the nearest node, itself or up, with a compatible; none if unavailable. */
function compatNode(of: OfNode | undefined): OfNode | undefined {
  for (let node = of; node; node = node.parent) {
    if (!isAvailable(node)) return undefined
    if (node.compatible.length > 0) return node
  }
  return undefined
}

function isAncestor(ancestor: OfNode, of: OfNode): boolean {
  for (let node = of.parent; node; node = node.parent) if (node === ancestor) return true
  return false
}

function phandleArgs(tree: OfTree, values: number[], cellsName: string): OfNode[] {
  const targets: OfNode[] = []
  for (let at = 0; at < values.length;) {
    const target = tree.byPhandle.get(values[at] ?? 0)
    if (!target) {
      at += 1
      continue
    }
    targets.push(target)
    at += 1 + (propertyCells(target, cellsName)[0] ?? 0)
  }
  return targets
}

const PHANDLE_ARGS_BY_NAME = new Map(
  PHANDLE_WITH_ARGS.map(([property, cellsName, optional]) => [property, { cellsName, optional }]),
)

/**
 * The suppliers fw_devlink links a consumer node to (drivers/of/property.c of_supplier_bindings),
 * in property order as of_link_to_suppliers() walks them. Optional bindings (iommus, dmas) only
 * count when `strict`.
 */
export function supplierRefs(
  tree: OfTree,
  consumer: OfNode,
  strict: boolean,
  interruptParent?: OfNode,
): SupplierRef[] {
  const found: SupplierRef[] = []
  const add = (target: OfNode | undefined, property: string) => {
    const supplier = compatNode(target)
    // A child is never a functional dependency of its parent; a node never supplies itself.
    if (!supplier || supplier === consumer || isAncestor(consumer, supplier)) return
    if (!found.some((ref) => ref.supplier === supplier)) found.push({ supplier, property })
  }
  for (const { name } of consumer.node.properties) {
    const withArgs = PHANDLE_ARGS_BY_NAME.get(name)
    if (withArgs) {
      if (withArgs.optional && !strict) continue
      for (const target of phandleArgs(tree, propertyCells(consumer, name), withArgs.cellsName))
        add(target, name)
    } else if (isPlainPhandleProperty(name)) {
      for (const phandle of propertyCells(consumer, name)) add(tree.byPhandle.get(phandle), name)
    } else if (isGpioProperty(name)) {
      for (const target of phandleArgs(tree, propertyCells(consumer, name), '#gpio-cells'))
        add(target, name)
    } else if (name === 'interrupts' && interruptParent) {
      add(interruptParent, name)
    }
  }
  return found
}
