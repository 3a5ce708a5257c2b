import type { ResourceKindName } from '../../catalog/probe-facts-schema'
import type { Device } from '../device'
import type { Kernel } from '../kernel'
import { hasProperty, type OfNode } from '../of-tree'

export { hasProperty }

/** The kinds of resource a probe takes from a provider, one per subsystem. */
export type ResourceKind = ResourceKindName

/**
 * What the subsystem's lookup does when the provider has not registered:
 * - `defer`: -EPROBE_DEFER, for as long as it takes (clk, reset, regulator, GPIO, PHY...)
 * - `check_state`: driver_deferred_probe_check_state() decides (drivers/base/dd.c)
 * - `defer_with_modules`: -EPROBE_DEFER while modules may still bring it, else -ENODEV (pinctrl)
 * - `optional`: the probe carries on without it
 */
export type WhenMissing = 'defer' | 'check_state' | 'defer_with_modules' | 'optional'

/** A subsystem's consumer side and provider side, as the devicetree shows them. */
export interface ResourceClass {
  kind: ResourceKind
  /** Whether a consumer property names this resource; with the provider's argument-count property. */
  consumes(property: string): { cells?: string } | undefined
  /** Whether a bound device registers this provider on the node (its `#…-cells`, `gpio-controller`...). */
  provides(node: OfNode): boolean
  whenMissing: WhenMissing
  /** After check_state gives up: the probe fails with its error, or carries on without. */
  afterTimeout?: 'fail' | 'carry_on'
  /** A provider node that is not available (`status = "disabled"`) means none: carry on without. */
  unavailableMeansNone?: boolean
  /** Every reference of this class was taken: what the subsystem then does for the device. */
  configured?: (kernel: Kernel, device: Device) => void
  /** The source of the rule, for the curious. */
  source: string
}

/** A class for the common `<name>s = <&provider args...>` binding with a `#<...>-cells` provider. */
export function phandleArgsClass(
  kind: ResourceKind,
  property: string,
  cells: string,
  whenMissing: WhenMissing,
  source: string,
): ResourceClass {
  return {
    kind,
    consumes: (name) => (name === property ? { cells } : undefined),
    provides: (node) => hasProperty(node, cells),
    whenMissing,
    source,
  }
}
