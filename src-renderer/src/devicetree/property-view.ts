import type { DeviceTree, DtProperty } from '@hardware/devicetree'
import { DtsSyntaxError, parseDts } from '@hardware/dts'
import { formatValue } from '@hardware/dts-writer'
import {
  isGpioProperty,
  isPlainPhandleProperty,
  PHANDLE_WITH_ARGS,
} from '@hardware/phandle-properties'
import { propertyCells, type OfNode, type OfTree } from '@hardware/tree-index'
import { cells, stringList } from '@hardware/devicetree'

export type PropertyKind = 'flag' | 'strings' | 'cells' | 'bytes' | 'phandles'

/** A phandle in a value and what it points at. */
export interface PhandleLink {
  phandle: number
  target?: OfNode
  args: number[]
  /** The entry's name from the matching `*-names` property (`clock-names` for `clocks`). */
  name?: string
}

/** The property that names each entry of a phandle property: clocks → clock-names. */
export function namesProperty(name: string): string {
  if (name === 'interrupts-extended') return 'interrupt-names'
  if (name === 'mboxes') return 'mbox-names'
  return `${name.replace(/s$/, '')}-names`
}

/** Labels by node path: the source's own, else those a blob keeps in `/__symbols__` (dtc -@). */
export function labelsByPath(index: OfTree): Map<string, string> {
  const labels = new Map<string, string>()
  const symbols = index.all.find((entry) => entry.path === '/__symbols__')
  for (const property of symbols?.node.properties ?? []) {
    const path = stringList(property)[0]
    if (path && !labels.has(path)) labels.set(path, property.name)
  }
  for (const entry of index.all) {
    const label = entry.node.labels?.[0]
    if (label) labels.set(entry.path, label)
  }
  return labels
}

/** How a property reads: dtc's guess from the bytes, or phandle references when the name says so. */
export function propertyKind(property: DtProperty): PropertyKind {
  if (property.value.length === 0) return 'flag'
  if (phandleCellsName(property.name) !== undefined && property.value.length % 4 === 0)
    return 'phandles'
  const text = formatValue(property.value)
  return text.startsWith('"') ? 'strings' : text.startsWith('<') ? 'cells' : 'bytes'
}

/** The property of a target node that sizes the arguments, '' for plain phandles, undefined if none. */
function phandleCellsName(name: string): string | undefined {
  const withArgs = PHANDLE_WITH_ARGS.find(([property]) => property === name)
  if (withArgs) return withArgs[1]
  if (isGpioProperty(name)) return '#gpio-cells'
  if (isPlainPhandleProperty(name)) return ''
  return undefined
}

/** The references in a phandle property, each with its arguments as the target's `#*-cells` sizes them. */
export function phandleLinks(
  index: OfTree,
  property: DtProperty,
  names: readonly string[] = [],
): PhandleLink[] {
  const cellsName = phandleCellsName(property.name)
  if (cellsName === undefined) return []
  const values = cells(property)
  const links: PhandleLink[] = []
  // An interconnect path is two references (source and destination) under one name.
  const perName = property.name === 'interconnects' ? 2 : 1
  for (let at = 0; at < values.length;) {
    const phandle = values[at++] as number
    const target = index.byPhandle.get(phandle)
    const count = cellsName && target ? (propertyCells(target, cellsName)[0] ?? 0) : 0
    const name = links.length % perName === 0 ? names[links.length / perName] : undefined
    links.push({ phandle, target, args: values.slice(at, at + count), ...(name ? { name } : {}) })
    at += count
    // A target we cannot size ends the walk: its arguments cannot be told from the next phandle.
    if (cellsName && !target) break
  }
  return links
}

/** For every node with a phandle, the (node, property) pairs that refer to it. */
export function referencesTo(index: OfTree): Map<OfNode, { from: OfNode; property: string }[]> {
  const references = new Map<OfNode, { from: OfNode; property: string }[]>()
  for (const node of index.all) {
    for (const property of node.node.properties) {
      for (const link of phandleLinks(index, property)) {
        if (!link.target) continue
        const list = references.get(link.target) ?? []
        if (!list.some((entry) => entry.from === node && entry.property === property.name))
          list.push({ from: node, property: property.name })
        references.set(link.target, list)
      }
    }
  }
  return references
}

/**
 * A value typed in devicetree source syntax (`"okay"`, `<0x1 0x2>`, `[00 11]`, `"a", "b"`),
 * read by the same parser as whole files. Throws an Error whose message says what is wrong.
 */
export function parseValue(text: string, name = 'value'): Uint8Array {
  if (text.trim() === '') return new Uint8Array()
  // Parsed as the property itself, so that a message names it as the user knows it.
  const prefix = `/dts-v1/; / { ${/^[\w,.+#?-]+$/.test(name) ? name : 'value'} = `
  try {
    const tree: DeviceTree = parseDts('value', `${prefix}${text}; };`)
    return tree.root.properties[0]?.value ?? new Uint8Array()
  } catch (error) {
    if (error instanceof DtsSyntaxError) {
      const column = Math.max(1, error.location.column - prefix.length)
      throw new Error(`column ${column}: ${error.reason}`, { cause: error })
    }
    throw error
  }
}

export { formatValue }
