import { z } from 'zod'
import table from '../../resources/hardware/primecell-ids.json'
import { cells, findProperty, stringList, type DeviceTree, type DtNode } from './devicetree'

const Hex = z.string().regex(/^0x[0-9a-f]+$/)
const PrimecellIds = z
  .object({
    about: z.string(),
    ids: z.record(
      z.string(),
      z
        .object({
          designer: Hex,
          part: Hex,
          revision: z.number().int().min(0).max(15),
          configuration: z.number().int().min(0).max(255),
          source: z.string().min(1),
        })
        .strict(),
    ),
  })
  .strict()

const IDS = PrimecellIds.parse(table).ids

/**
 * The peripheral ID a PrimeCell's PeriphID0-3 registers hold, by the compatible naming the IP
 * (resources/hardware/primecell-ids.json), or undefined when modlab does not know the part.
 */
export function primecellPeriphid(compatible: readonly string[]): number | undefined {
  for (const name of compatible) {
    const id = IDS[name]
    if (!id) continue
    return (
      ((id.configuration << 24) |
        (id.revision << 20) |
        (Number(id.designer) << 12) |
        Number(id.part)) >>>
      0
    )
  }
  return undefined
}

/**
 * What the registers of each PrimeCell of the board hold, by node path: the peripheral IDs the
 * kernel would read from the hardware of the nodes that do not state `arm,primecell-periphid`.
 */
export function primecellRegisters(tree: DeviceTree): Record<string, number> {
  const out: Record<string, number> = {}
  const visit = (node: DtNode, path: string) => {
    const compatible = stringList(findProperty(node, 'compatible'))
    if (
      compatible.includes('arm,primecell') &&
      cells(findProperty(node, 'arm,primecell-periphid')).length === 0
    ) {
      const periphid = primecellPeriphid(compatible)
      if (periphid !== undefined) out[path] = periphid
    }
    for (const child of node.children)
      visit(child, path === '/' ? `/${child.name}` : `${path}/${child.name}`)
  }
  visit(tree.root, '/')
  return out
}
