import { ERRNO } from '../linux/errno'
import { versionAtLeast } from '../linux/version'
import { rmemCmaSetup } from './cma'
import type { Kernel } from './kernel'
import { CMA_MIN_ALIGNMENT, hex18, MiB, topDown } from './memblock'
import { hasProperty, isAvailable, propertyCells, type OfNode } from './of-tree'

/** struct reserved_mem (include/linux/of_reserved_mem.h): a region of /reserved-memory. */
export interface ReservedMem {
  node: OfNode
  name: string
  base: bigint
  size: bigint
  /** Placed by `size` (and `alloc-ranges`), not by `reg`. */
  dynamic: boolean
  /** rmem_cma_setup() made it a CMA area: its pages count as cma-reserved, not reserved. */
  cma?: boolean
  /** No RESERVEDMEM_OF_DECLARE entry took it: memblock_phys_free() gave it back. */
  freed?: boolean
}

/**
 * rmem_dma_setup() (kernel/dma/coherent.c:369), RESERVEDMEM_OF_DECLARE(dma, "shared-dma-pool"): a
 * pool that is not `reusable` becomes a per-device coherent pool.
 */
function rmemDmaSetup(kernel: Kernel, rmem: ReservedMem): number {
  if (hasProperty(rmem.node, 'reusable')) return -ERRNO.EINVAL
  kernel.printk(
    'info',
    `Reserved memory: created DMA memory pool at ${hex18(rmem.base)}, size ${rmem.size / MiB} MiB`,
  )
  return 0
}

/**
 * __reservedmem_of_table in link order (kernel/dma/Makefile: contiguous.o before coherent.o), each
 * entry there when its object is built.
 */
const RESERVEDMEM_OF_TABLE: {
  compatible: string
  config: string
  init: (kernel: Kernel, rmem: ReservedMem) => number
}[] = [
  { compatible: 'shared-dma-pool', config: 'CONFIG_DMA_CMA', init: rmemCmaSetup },
  { compatible: 'shared-dma-pool', config: 'CONFIG_DMA_DECLARE_COHERENT', init: rmemDmaSetup },
]

const cells = (values: number[]) => values.reduce((sum, v) => (sum << 32n) | BigInt(v), 0n)

/** The root's cells, which /reserved-memory must repeat (__reserved_mem_check_root(), :209). */
function rootCells(kernel: Kernel): { address: number; size: number } {
  const root = kernel.of.root
  return {
    address: propertyCells(root, '#address-cells')[0] ?? 2,
    size: propertyCells(root, '#size-cells')[0] ?? 1,
  }
}

function reservedMemoryNode(kernel: Kernel): OfNode | undefined {
  return kernel.of.root.children.find((node) => node.node.name === 'reserved-memory')
}

/** The `[start, end)` pairs of a property (`reg`, `alloc-ranges`) in the root's cells. */
function ranges(kernel: Kernel, node: OfNode, property: string): [bigint, bigint][] {
  const { address, size } = rootCells(kernel)
  const values = propertyCells(node, property)
  const out: [bigint, bigint][] = []
  for (let at = 0; at + address + size <= values.length; at += address + size) {
    const start = cells(values.slice(at, at + address))
    out.push([start, start + cells(values.slice(at + address, at + address + size))])
  }
  return out
}

/**
 * fdt_init_reserved_mem_node() (drivers/of/of_reserved_mem.c:598): the first table entry of the
 * node's compatible whose init accepts it, then (from 6.12) the region's line; a region every
 * matching entry refused is given back.
 */
function initReservedMemNode(kernel: Kernel, rmem: ReservedMem): void {
  const { config, version } = kernel.inputs.profile
  let err = -ERRNO.ENOENT
  for (const entry of RESERVEDMEM_OF_TABLE) {
    if (config[entry.config] !== 'y' || !rmem.node.compatible.includes(entry.compatible)) continue
    err = entry.init(kernel, rmem)
    if (err === 0) {
      kernel.printk(
        'info',
        `OF: reserved mem: initialized node ${rmem.name}, compatible id ${entry.compatible}`,
      )
      break
    }
  }
  kernel.reservedMem.push(rmem)
  if (err !== 0 && err !== -ERRNO.ENOENT) {
    kernel.printk('info', `OF: reserved mem: node ${rmem.name} compatible matching fail`)
    rmem.freed = true
    return
  }
  // [The region's line: first release unverified; 6.1 has none.]
  if (!versionAtLeast(version, 6, 12)) return
  const nomap = hasProperty(rmem.node, 'no-map') ? 'nomap' : 'map'
  const reusable = hasProperty(rmem.node, 'reusable') ? 'reusable' : 'non-reusable'
  kernel.printk(
    'info',
    `OF: reserved mem: ${hex18(rmem.base)}..${hex18(rmem.base + rmem.size - 1n)} (${rmem.size / 1024n} KiB) ${nomap} ${reusable} ${rmem.name}`,
  )
}

/**
 * __reserved_mem_alloc_size() (:419): `size` bytes, aligned to `alignment` (at least a CMA
 * pageblock for a reusable shared-dma-pool), top-down in the first `alloc-ranges` entry with room.
 * A range reaching the end of RAM lies above the early allocations at its top (cmaBelowTopK).
 */
function allocSize(kernel: Kernel, node: OfNode, taken: [bigint, bigint][]): bigint | undefined {
  const { board, profile } = kernel.inputs
  const size = cells(propertyCells(node, 'size'))
  // SMP_CACHE_BYTES without an alignment (early_init_dt_alloc_reserved_memory_arch(), :44).
  let align = cells(propertyCells(node, 'alignment')) || 64n
  if (
    profile.config.CONFIG_CMA === 'y' &&
    node.compatible.includes('shared-dma-pool') &&
    hasProperty(node, 'reusable') &&
    !hasProperty(node, 'no-map')
  )
    align = align > CMA_MIN_ALIGNMENT ? align : CMA_MIN_ALIGNMENT
  const top = board.memory.start + board.memory.size
  const wanted = ranges(kernel, node, 'alloc-ranges')
  for (const [start, end] of wanted.length ? wanted : [[board.memory.start, top] as const]) {
    const limit = end < top ? end : top
    if (limit >= top) {
      const base = (top - BigInt(profile.memory.cmaBelowTopK) * 1024n - size) & ~(align - 1n)
      const clash = taken.some(([from, to]) => from < base + size && to > base)
      if (base >= start && !clash) return base
    }
    const base = topDown(
      size,
      start > board.memory.start ? start : board.memory.start,
      limit,
      taken,
      align,
    )
    if (base !== undefined) return base
  }
  return undefined
}

/**
 * early_init_fdt_scan_reserved_mem() (drivers/of/fdt.c:496, from arm64_memblock_init()). In 6.12,
 * fdt_scan_reserved_mem() (:302) reserves the static regions, then places each dynamic one
 * (`size`) and initialises it at once (fdt_reserved_mem_save_node()); the static ones wait for
 * fdtScanReservedMemRegNodes(). In 6.1 every region is initialised here, in tree order.
 */
export function earlyInitFdtScanReservedMem(kernel: Kernel): void {
  const reserved = reservedMemoryNode(kernel)
  if (!reserved) return
  const children = reserved.children.filter(isAvailable)
  const taken = children.flatMap((child) => ranges(kernel, child, 'reg'))
  const late = versionAtLeast(kernel.inputs.profile.version, 6, 12)
  for (const child of children) {
    const reg = ranges(kernel, child, 'reg')[0]
    if (reg && late) continue
    const dynamic = !reg
    if (dynamic && !hasProperty(child, 'size')) continue
    const base = reg?.[0] ?? allocSize(kernel, child, taken)
    const size = reg ? reg[1] - reg[0] : cells(propertyCells(child, 'size'))
    if (base === undefined) {
      kernel.printk(
        'err',
        `OF: reserved mem: failed to allocate memory for node '${child.node.name}': size ${size / MiB} MiB`,
      )
      continue
    }
    if (dynamic) taken.push([base, base + size])
    initReservedMemNode(kernel, { node: child, name: child.node.name, base, size, dynamic })
  }
}

/**
 * fdt_scan_reserved_mem_reg_nodes() (drivers/of/of_reserved_mem.c:239, from
 * unflatten_device_tree()): each available static region, in tree order (6.12).
 */
export function fdtScanReservedMemRegNodes(kernel: Kernel): void {
  if (!versionAtLeast(kernel.inputs.profile.version, 6, 12)) return
  for (const child of reservedMemoryNode(kernel)?.children ?? []) {
    if (!isAvailable(child)) continue
    const [reg] = ranges(kernel, child, 'reg')
    if (!reg || reg[1] === reg[0]) continue
    initReservedMemNode(kernel, {
      node: child,
      name: child.node.name,
      base: reg[0],
      size: reg[1] - reg[0],
      dynamic: false,
    })
  }
}
