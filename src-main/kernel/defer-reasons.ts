import type { DeferReason } from '../catalog/probe-facts-schema'
import { findProperty, stringList } from '../hardware/devicetree'
import type { Device } from './device'
import type { OfNode } from './of-tree'

/** A resource reference of the probe, as far as the recorded reason needs it. */
export interface LookupRef {
  property: string
  /** Its position among the property's phandles: its `<kind>-names` entry. */
  index: number
  node: OfNode
}

/** The `<kind>-names` property naming the entries of a phandle property (`clocks` → `clock-names`). */
function namesProperty(property: string): string {
  return property === 'mboxes' ? 'mbox-names' : `${property.replace(/s$/, '')}-names`
}

function matches(entry: DeferReason, ref: LookupRef): boolean {
  if (entry.property !== ref.property) return false
  if (entry.name === undefined) return true
  return (
    stringList(findProperty(ref.node.node, namesProperty(ref.property)))[ref.index] === entry.name
  )
}

/**
 * The reason the probe records when it defers: its driver data lists its lookups in the order the
 * probe makes them, and the first whose resource is missing returns -EPROBE_DEFER, through
 * dev_err_probe() with the message device_set_deferred_probe_reason() keeps
 * (drivers/base/core.c:5140), or without it. A lookup the data does not list records nothing, so
 * devices_deferred shows no reason and the timeout `(reason unknown)` (drivers/base/dd.c:252, :317).
 */
export function recordedDeferReason<Ref extends LookupRef>(
  device: Device,
  refs: readonly Ref[],
  at: number,
  defers: (ref: Ref) => boolean,
): string | undefined {
  // Those before `at` were taken or let go; of those after it, the missing ones would defer too.
  const missing = [refs[at] as Ref, ...refs.slice(at + 1).filter(defers)]
  for (const entry of device.driver?.def.probe.deferReasons ?? []) {
    const ref = missing.find((candidate) => matches(entry, candidate))
    if (!ref) continue
    const nested = ref.node.parent !== device.of && ref.node !== device.of
    const reason = (nested ? entry.nestedReason : undefined) ?? entry.reason
    return reason && formatted(reason, ref)
  }
  return undefined
}

/** `{node}` the node the lookup reads (`%pOF`), `{index}` its position in the property. */
function formatted(reason: string, ref: LookupRef): string {
  return reason.replace(/\{(node|index)\}/g, (_, field: string) =>
    field === 'node' ? ref.node.path : String(ref.index),
  )
}
