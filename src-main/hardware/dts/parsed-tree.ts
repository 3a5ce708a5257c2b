import type { Mark } from './lexer'

/** A reference inside a value: `&label`, `&{/path}` or `&{label/sub/path}`. */
export interface ValueReference {
  /** `phandle` inside `< >`, `path` (a NUL-terminated path string) elsewhere. */
  kind: 'phandle' | 'path'
  target: string
  at: Mark
}

export type ValuePart = Uint8Array | ValueReference

/**
 * A property's value: its parts in order, or the byte array alone when that is all it is (most
 * values are one run of cells or one string, and a list per property is 230,000 lists on a large board).
 */
export type PropertyValue = Uint8Array | readonly ValuePart[]

export interface ParsedProperty {
  name: string
  labels: string[]
  parts: PropertyValue
  deleted: boolean
  at: Mark
}

/**
 * A node as dtc keeps it while parsing: deleted nodes and properties stay in place (flagged),
 * because defining them again puts them back where they were.
 */
export interface ParsedNode {
  name: string
  labels: string[]
  properties: ParsedProperty[]
  children: ParsedNode[]
  parent?: ParsedNode
  deleted: boolean
  omitIfNoRef: boolean
  referenced: boolean
  phandle?: number
  at: Mark
}

/** Labels nobody gave: one shared list, never pushed to (merges make a new list). */
export const NO_LABELS = Object.freeze([]) as unknown as string[]

export function newNode(name: string, at: Mark, parent?: ParsedNode): ParsedNode {
  return {
    name,
    labels: NO_LABELS,
    properties: [],
    children: [],
    parent,
    deleted: false,
    omitIfNoRef: false,
    referenced: false,
    // Present from the start: resolveTree gives most nodes one, and a field added later costs each node a new shape.
    phandle: undefined,
    at,
  }
}

export function pathOf(node: ParsedNode): string {
  if (!node.parent) return '/'
  const parent = pathOf(node.parent)
  return `${parent === '/' ? '' : parent}/${node.name}`
}

/** Marks a node and everything under it deleted, as dtc's delete_node() does. */
export function deleteNode(node: ParsedNode): void {
  node.deleted = true
  // Its labels go with it: defining the node again does not bring them back.
  node.labels = NO_LABELS
  for (const property of node.properties) property.deleted = true
  for (const child of node.children) deleteNode(child)
}

/** dtc's get_node_by_path(): exact names, one component at a time. */
export function nodeByPath(root: ParsedNode, path: string): ParsedNode | undefined {
  let node: ParsedNode | undefined = root
  for (const part of path.split('/')) {
    if (part === '' || !node) continue
    node = node.children.find((child) => !child.deleted && child.name === part)
  }
  return node && !node.deleted ? node : undefined
}

/** dtc's get_node_by_label(): the live node that carries the label. */
export function nodeByLabel(root: ParsedNode, label: string): ParsedNode | undefined {
  if (root.deleted) return undefined
  if (root.labels.includes(label)) return root
  for (const child of root.children) {
    const found = nodeByLabel(child, label)
    if (found) return found
  }
  return undefined
}

/** `&label`, `&{/path}` or `&{label/sub/path}` (dtc's get_node_by_ref()). */
export function nodeByReference(
  root: ParsedNode,
  target: string,
  byLabel = (label: string) => nodeByLabel(root, label),
): ParsedNode | undefined {
  if (target.startsWith('/')) return nodeByPath(root, target)
  const slash = target.indexOf('/')
  const node = byLabel(slash === -1 ? target : target.slice(0, slash))
  return node && slash !== -1 ? nodeByPath(node, target.slice(slash)) : node
}

/**
 * dtc's merge_nodes(): `fresh` (a node body just read) applied to `old`. Properties and
 * children of the same name are replaced or merged in place (even deleted ones, which come
 * back where they were); new ones are appended; delete markers delete.
 */
export function mergeNodes(old: ParsedNode, fresh: ParsedNode): void {
  old.deleted = false
  old.labels = withLabels(old.labels, fresh.labels)
  if (fresh.omitIfNoRef) old.omitIfNoRef = true
  // By name, the first of each (as a search from the front finds it): merges stay linear in size.
  const properties = firstByName(old.properties)
  for (const property of fresh.properties) {
    if (property.deleted) {
      const target = firstLive(properties, old.properties, property.name)
      if (target) target.deleted = true
      continue
    }
    const existing = properties.get(property.name)
    if (!existing) {
      old.properties.push(property)
      properties.set(property.name, property)
      continue
    }
    existing.labels = withLabels(existing.labels, property.labels)
    existing.parts = property.parts
    existing.deleted = false
    existing.at = property.at
  }
  const children = firstByName(old.children)
  for (const child of fresh.children) {
    if (child.deleted) {
      const target = firstLive(children, old.children, child.name)
      if (target) deleteNode(target)
      continue
    }
    const existing = children.get(child.name)
    if (existing) mergeNodes(existing, child)
    else {
      child.parent = old
      old.children.push(child)
      children.set(child.name, child)
    }
  }
}

/** `labels` and those of `more` it lacks, in order: a new list, as label lists are shared. */
function withLabels(labels: string[], more: readonly string[]): string[] {
  let merged = labels
  for (const label of more) {
    if (merged.includes(label)) continue
    if (merged === labels) merged = [...labels]
    merged.push(label)
  }
  return merged
}

function firstByName<T extends { name: string }>(items: readonly T[]): Map<string, T> {
  const map = new Map<string, T>()
  for (const item of items) if (!map.has(item.name)) map.set(item.name, item)
  return map
}

/** The first live item of a name; only a source that repeats a name in one body needs the search. */
function firstLive<T extends { name: string; deleted: boolean }>(
  first: ReadonlyMap<string, T>,
  items: readonly T[],
  name: string,
): T | undefined {
  const candidate = first.get(name)
  if (!candidate || !candidate.deleted) return candidate
  return items.find((item) => !item.deleted && item.name === name)
}
