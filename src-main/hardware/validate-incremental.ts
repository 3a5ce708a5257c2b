import type { DeviceTree, DtNode, DtProperty } from './devicetree'
import { cells, findProperty } from './devicetree'
import { indexTree, reindexTree, type OfNode, type OfTree } from './tree-index'
import {
  checkNode,
  flattenFindings,
  type Finding,
  type NodeFindings,
  type ValidateOptions,
} from './validate'

const childPathOf = (parent: string, name: string) =>
  parent === '/' ? `/${name}` : `${parent}/${name}`
const parentPathOf = (path: string) => path.slice(0, Math.max(path.lastIndexOf('/'), 1))

function phandleOf(node: DtNode): number | undefined {
  return cells(findProperty(node, 'phandle') ?? findProperty(node, 'linux,phandle'))[0]
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let at = 0; at < a.length; at++) if (a[at] !== b[at]) return false
  return true
}

/** The names of the properties that differ; an edit copies only the nodes on its way. */
function changedProperties(before: DtProperty[], after: DtProperty[]): Set<string> {
  const changed = new Set<string>()
  if (before === after) return changed
  const old = new Map(before.map((property) => [property.name, property.value]))
  for (const { name, value } of after) {
    const was = old.get(name)
    if (!was || !sameBytes(was, value)) changed.add(name)
    old.delete(name)
  }
  for (const name of old.keys()) changed.add(name)
  return changed
}

/**
 * validateTree kept up to date across edits: an edit re-checks only the nodes it can change (the
 * edited node, its parent, its children when its cells change, its subtree when its compatible does, and
 * every node that looks up a phandle of a changed node), and gives the same findings as a check of
 * the whole tree.
 */
export class TreeChecker {
  private tree: DeviceTree
  private of: OfTree
  private readonly byPath = new Map<string, NodeFindings>()
  private readonly referrers = new Map<number, Set<string>>()
  /** Nodes checked since the checker was made: the work, for the tests and the benchmark. */
  nodesChecked = 0
  findings: Finding[]

  constructor(
    tree: DeviceTree,
    private readonly options: ValidateOptions = {},
  ) {
    this.tree = tree
    this.of = indexTree(tree)
    for (const node of this.of.all) this.check(node)
    this.findings = this.collect()
  }

  /** The findings of `next`, re-checking what changed since the last tree. */
  update(next: DeviceTree): Finding[] {
    if (next === this.tree) return this.findings
    const dirty = new Set<string>()
    const phandles = new Set<number>()
    this.diff(this.tree.root, next.root, '/', dirty, phandles)
    this.tree = next
    this.of = reindexTree(this.of, next)
    for (const phandle of phandles)
      for (const path of this.referrers.get(phandle) ?? []) dirty.add(path)
    const byPath = new Map(this.of.all.map((node) => [node.path, node]))
    for (const path of dirty) {
      const node = byPath.get(path)
      if (node) this.check(node)
      else this.forget(path)
    }
    this.findings = this.collect()
    return this.findings
  }

  private check(node: OfNode): void {
    this.forget(node.path)
    const found = checkNode(this.of, node, this.options)
    this.byPath.set(node.path, found)
    for (const phandle of found.refers) {
      const set = this.referrers.get(phandle) ?? new Set()
      set.add(node.path)
      this.referrers.set(phandle, set)
    }
    this.nodesChecked++
  }

  private forget(path: string): void {
    const found = this.byPath.get(path)
    if (!found) return
    for (const phandle of found.refers) this.referrers.get(phandle)?.delete(path)
    this.byPath.delete(path)
  }

  private collect(): Finding[] {
    return flattenFindings(this.of.all.map((node) => this.byPath.get(node.path) as NodeFindings))
  }

  /** Marks what an edit between `before` and `after` (the same path) can change. */
  private diff(
    before: DtNode,
    after: DtNode,
    path: string,
    dirty: Set<string>,
    phandles: Set<number>,
  ): void {
    if (before === after) return
    const changed = changedProperties(before.properties, after.properties)
    if (changed.size > 0) {
      dirty.add(path)
      dirty.add(parentPathOf(path))
      for (const phandle of [phandleOf(before), phandleOf(after)])
        if (phandle !== undefined) phandles.add(phandle)
      // Children read their reg with this node's cells; a bus's descendants may become devices.
      const subtree = changed.has('compatible')
      if (subtree || changed.has('#address-cells') || changed.has('#size-cells'))
        for (const child of after.children)
          this.mark(child, childPathOf(path, child.name), subtree, dirty, phandles, false)
    }
    const old = new Map(before.children.map((child) => [child.name, child]))
    for (const child of after.children) {
      const childPath = childPathOf(path, child.name)
      const was = old.get(child.name)
      old.delete(child.name)
      if (was) this.diff(was, child, childPath, dirty, phandles)
      else {
        dirty.add(path)
        this.mark(child, childPath, true, dirty, phandles, true)
      }
    }
    for (const [name, gone] of old) {
      dirty.add(path)
      this.mark(gone, childPathOf(path, name), true, dirty, phandles, true)
    }
  }

  /** A node (and its subtree, when asked) to re-check; an added or removed one's phandles too. */
  private mark(
    node: DtNode,
    path: string,
    subtree: boolean,
    dirty: Set<string>,
    phandles: Set<number>,
    withPhandles: boolean,
  ): void {
    dirty.add(path)
    const phandle = withPhandles ? phandleOf(node) : undefined
    if (phandle !== undefined) phandles.add(phandle)
    if (subtree)
      for (const child of node.children)
        this.mark(child, childPathOf(path, child.name), true, dirty, phandles, withPhandles)
  }
}
