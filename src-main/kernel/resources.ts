import { phandleArgs } from './fw-devlink'
import { interruptParent, propertyCells, type OfNode, type OfTree } from './of-tree'
import { clockResource } from './subsys/clk'
import { dmaResource } from './subsys/dma'
import { gpioResource } from './subsys/gpio'
import { interconnectResource } from './subsys/interconnect'
import { iommuResource } from './subsys/iommu'
import { interruptResource } from './subsys/irq'
import { mboxResource } from './subsys/mailbox'
import { phyResource } from './subsys/phy'
import { pinctrlResource } from './subsys/pinctrl'
import { powerDomainResource } from './subsys/pm-domain'
import { regulatorResource } from './subsys/regulator'
import { resetResource } from './subsys/reset'
import { hasProperty, type ResourceClass, type ResourceKind } from './subsys/resource-types'

/**
 * The subsystems a probe takes resources from, in the order a platform device meets them:
 * really_probe() binds pins and configures the IOMMU, platform_probe() sets up assigned clocks
 * and attaches the power domain, then the driver's probe takes the rest.
 */
export const RESOURCE_CLASSES: readonly ResourceClass[] = [
  pinctrlResource,
  iommuResource,
  clockResource,
  powerDomainResource,
  resetResource,
  regulatorResource,
  gpioResource,
  phyResource,
  interconnectResource,
  interruptResource,
  dmaResource,
  mboxResource,
]

/** What a probe took, or waits for, from one provider. */
export interface ResourceUse {
  kind: ResourceKind
  property: string
  /** The provider's node path (for pinctrl, the pin controller's). */
  provider: string
  state: 'taken' | 'waiting' | 'dummy' | 'ignored'
}

export interface ResourceRef {
  class: ResourceClass
  property: string
  /** Its position among the property's phandles. */
  index: number
  /** The consumer node naming it. */
  node: OfNode
  /** The node whose registration satisfies the reference. */
  target: OfNode
}

/** The nearest node at or above `node` with a compatible: the device that owns a sub-node. */
export function owningNode(node: OfNode): OfNode {
  for (let at: OfNode | undefined = node; at; at = at.parent)
    if (at.compatible.length > 0) return at
  return node
}

/** Providers registered so far, by node and kind, and the references each consumer node makes. */
export class ResourceProviders {
  private readonly registered = new Map<OfNode, Set<ResourceKind>>()
  private readonly refsByNode = new Map<OfNode, ResourceRef[]>()
  private pinControllers?: Set<OfNode>

  constructor(private readonly tree: OfTree) {}

  /**
   * A driver bound (or an of_declare init ran) on `node`: it registers each provider its node and
   * its own sub-nodes (those without a compatible: regulators, GPIO banks) describe.
   */
  register(node: OfNode): void {
    const visit = (at: OfNode) => {
      for (const resource of RESOURCE_CLASSES) {
        if (resource.provides(at)) this.add(at, resource.kind)
      }
      for (const child of at.children) if (child.compatible.length === 0) visit(child)
    }
    visit(node)
    if (this.pinControllerNodes().has(node)) this.add(node, 'pinctrl')
  }

  unregister(node: OfNode): void {
    const drop = (at: OfNode) => {
      this.registered.delete(at)
      for (const child of at.children) if (child.compatible.length === 0) drop(child)
    }
    drop(node)
  }

  has(node: OfNode, kind: ResourceKind): boolean {
    return this.registered.get(node)?.has(kind) ?? false
  }

  private add(node: OfNode, kind: ResourceKind): void {
    let kinds = this.registered.get(node)
    if (!kinds) this.registered.set(node, (kinds = new Set()))
    kinds.add(kind)
  }

  /** Pin controllers: the devices the `pinctrl-N` config nodes live under. */
  private pinControllerNodes(): Set<OfNode> {
    if (!this.pinControllers) {
      this.pinControllers = new Set()
      for (const node of this.tree.all) {
        for (const { name } of node.node.properties) {
          if (!pinctrlResource.consumes(name)) continue
          for (const phandle of propertyCells(node, name)) {
            const config = this.tree.byPhandle.get(phandle)
            if (config?.parent) this.pinControllers.add(owningNode(config.parent))
          }
        }
      }
    }
    return this.pinControllers
  }

  /** The resources a consumer node names, in RESOURCE_CLASSES order; worked out once per node. */
  refsOf(node: OfNode): ResourceRef[] {
    let refs = this.refsByNode.get(node)
    if (refs) return refs
    refs = []
    for (const resource of RESOURCE_CLASSES) {
      for (const { name } of node.node.properties) {
        const binding = resource.consumes(name)
        if (!binding) continue
        const values = propertyCells(node, name)
        const targets = binding.cells
          ? phandleArgs(this.tree, values, binding.cells)
          : values.map((phandle) => this.tree.byPhandle.get(phandle))
        for (const [index, target] of targets.entries()) {
          if (!target) continue
          // A pin controller's own states are hogs; a node never supplies itself.
          if (owningNode(target) === node) continue
          refs.push({ class: resource, property: name, index, target, node })
        }
      }
      if (resource === interruptResource && hasProperty(node, 'interrupts')) {
        const parent = interruptParent(this.tree, node)
        if (parent && interruptResource.provides(parent))
          refs.push({ class: resource, property: 'interrupts', index: 0, target: parent, node })
      }
    }
    this.refsByNode.set(node, refs)
    return refs
  }

  /** Whether the reference's provider registered; pinctrl looks up from the config node. */
  satisfied(ref: ResourceRef): boolean {
    if (ref.class.kind !== 'pinctrl') return this.has(ref.target, ref.class.kind)
    for (let at = ref.target.parent; at?.parent; at = at.parent)
      if (this.has(at, 'pinctrl')) return true
    return false
  }
}
