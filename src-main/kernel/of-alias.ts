import { findProperty, stringValue } from '../hardware/devicetree'
import type { OfNode, OfTree } from './of-tree'

const decoder = new TextDecoder()

function text(node: OfNode | undefined, name: string): string | undefined {
  const property = node && findProperty(node.node, name)
  return property ? decoder.decode(property.value).replace(/\0+$/, '') : undefined
}

function byPath(tree: OfTree, path: string): OfNode | undefined {
  return tree.all.find((node) => node.path === path)
}

/** of_alias_get_id() (drivers/of/base.c): `serial2 = &uart2` gives 2 for that node and stem. */
export function aliasId(tree: OfTree, node: OfNode, stem: string): number | undefined {
  const aliases = byPath(tree, '/aliases')
  for (const property of aliases?.node.properties ?? []) {
    const match = new RegExp(`^${stem}(\\d+)$`).exec(property.name)
    if (match && decoder.decode(property.value).replace(/\0+$/, '') === node.path)
      return Number(match[1])
  }
  return undefined
}

/**
 * of_stdout (drivers/of/base.c of_alias_scan()): /chosen `stdout-path` (or `linux,stdout-path`),
 * up to its `:options`, a path or an alias name.
 */
export function ofStdout(tree: OfTree): OfNode | undefined {
  const chosen = byPath(tree, '/chosen')
  const value = text(chosen, 'stdout-path') ?? text(chosen, 'linux,stdout-path')
  if (!value) return undefined
  const name = value.split(':')[0] ?? ''
  if (name.startsWith('/')) return byPath(tree, name)
  const aliases = byPath(tree, '/aliases')
  const target = aliases && stringValue(aliases.node, name)
  return target ? byPath(tree, target) : undefined
}
