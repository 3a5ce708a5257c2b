import type { Kernel } from './kernel'
import { zoneLayout } from './mm-zones'
import { isAvailable, propertyCells, type OfNode } from './of-tree'
import { versionAtLeast } from '../linux/version'

function parseSize(text: string): number | undefined {
  const match = /^(\d+)([KMG]?)$/i.exec(text)
  if (!match) return undefined
  const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[(match[2] ?? '').toUpperCase()] ?? 1
  return Number(match[1]) * unit
}

/** CMA_MIN_ALIGNMENT_BYTES: a pageblock (4 MiB with 4 KiB pages). */
const CMA_ALIGN = 4n * 1024n * 1024n

/** The default CMA area: a reusable `linux,cma-default` pool from the tree, else `cma=`, else the config size. */
export function reserveCma(kernel: Kernel): number {
  const { profile, board } = kernel.inputs
  if (profile.config.CONFIG_CMA !== 'y') return 0
  const reserved = kernel.of.root.children.find((node) => node.node.name === 'reserved-memory')
  const pool = reserved?.children.find(
    (node) =>
      node.compatible.includes('shared-dma-pool') &&
      node.node.properties.some((p) => p.name === 'linux,cma-default'),
  )
  const top = board.memory.start + board.memory.size
  const taken = reservedRanges(reserved)
  if (pool) {
    const size = cellsValue(propertyCells(pool, 'size'))
    // __reserved_mem_alloc_size() (drivers/of/of_reserved_mem.c): top-down within alloc-ranges.
    const [rangeStart, rangeEnd] = allocRange(pool) ?? [board.memory.start, top]
    const base =
      rangeEnd >= top
        ? top - BigInt(profile.memory.cmaBelowTopK) * 1024n - size
        : topDown(size, rangeStart, rangeEnd, taken)
    kernel.printk(
      'info',
      `Reserved memory: created CMA memory pool at 0x${base.toString(16).padStart(16, '0')}, size ${size / 1024n ** 2n} MiB`,
    )
    return Number(size / 1024n)
  }
  const param = kernel.cmdline.params.get('cma')
  const size =
    typeof param === 'string' ? (parseSize(param) ?? 0) : profile.memory.cmaDefaultMiB * 1024 ** 2
  if (size === 0) return 0
  // dma_contiguous_reserve(arm64_dma_phys_limit) (arch/arm64/mm/init.c:350): top-down below the
  // end of ZONE_DMA. The early allocations at the top of RAM (cmaBelowTopK, measured on virt) lie
  // under it only when all RAM does; below a limit under the end of RAM nothing is taken yet but
  // the tree's reserved-memory regions.
  const { dmaPhysLimit } = zoneLayout(board)
  const address =
    dmaPhysLimit >= top
      ? top - BigInt(profile.memory.cmaBelowTopK) * 1024n - BigInt(size)
      : topDown(BigInt(size), board.memory.start, dmaPhysLimit, taken)
  // cma_declare_contiguous_nid() (mm/cma.c) names the node in 6.12: NUMA_NO_NODE (-1) for the
  // default area, which dma_contiguous_reserve() declares with cma_declare_contiguous() [first
  // release unverified; absent in 6.1].
  const node = versionAtLeast(profile.version, 6, 12) ? ' on node -1' : ''
  kernel.printk(
    'info',
    `cma: Reserved ${size / 1024 ** 2} MiB at 0x${address.toString(16).padStart(16, '0')}${node}`,
  )
  return size / 1024
}

function cellsValue(cells: number[]): bigint {
  return cells.reduce((sum, value) => (sum << 32n) | BigInt(value), 0n)
}

/** A pool's first `alloc-ranges` entry as [start, end), in the root's cells. */
function allocRange(pool: OfNode): [bigint, bigint] | undefined {
  const cells = propertyCells(pool, 'alloc-ranges')
  const addressCells = propertyCells(pool.parent ?? pool, '#address-cells')[0] ?? 2
  const sizeCells = propertyCells(pool.parent ?? pool, '#size-cells')[0] ?? 1
  if (cells.length < addressCells + sizeCells) return undefined
  const start = cellsValue(cells.slice(0, addressCells))
  return [start, start + cellsValue(cells.slice(addressCells, addressCells + sizeCells))]
}

/**
 * fdt_init_reserved_mem_node() (drivers/of/of_reserved_mem.c:618, 6.12): a line for each static
 * region (`reg`) of /reserved-memory, in tree order; a `shared-dma-pool` among them is set up
 * first by rmem_dma_setup() (kernel/dma/coherent.c) [dynamic regions, sized but placed later,
 * are not printed here; the line's first release is unverified].
 */
export function printReservedRegions(kernel: Kernel): void {
  if (!versionAtLeast(kernel.inputs.profile.version, 6, 12)) return
  const reserved = kernel.of.root.children.find((node) => node.node.name === 'reserved-memory')
  const hex = (value: bigint) => `0x${value.toString(16).padStart(16, '0')}`
  for (const child of reserved?.children ?? []) {
    if (!isAvailable(child)) continue
    const range = reservedRanges(reserved, child)[0]
    if (!range) continue
    const [start, end] = range
    const nomap = child.node.properties.some((p) => p.name === 'no-map')
    const reusable = child.node.properties.some((p) => p.name === 'reusable')
    if (child.compatible.includes('shared-dma-pool') && !reusable) {
      kernel.printk(
        'info',
        `Reserved memory: created DMA memory pool at ${hex(start)}, size ${(end - start) / 1024n ** 2n} MiB`,
      )
      kernel.printk(
        'info',
        `OF: reserved mem: initialized node ${child.node.name}, compatible id shared-dma-pool`,
      )
    }
    kernel.printk(
      'info',
      `OF: reserved mem: ${hex(start)}..${hex(end - 1n)} (${(end - start) / 1024n} KiB) ${nomap ? 'nomap' : 'map'} ${reusable ? 'reusable' : 'non-reusable'} ${child.node.name}`,
    )
  }
}

/** The static regions (`reg`) of /reserved-memory, which memblock reserves or removes first. */
function reservedRanges(reserved: OfNode | undefined, only?: OfNode): [bigint, bigint][] {
  if (!reserved) return []
  const addressCells = propertyCells(reserved, '#address-cells')[0] ?? 2
  const sizeCells = propertyCells(reserved, '#size-cells')[0] ?? 1
  const ranges: [bigint, bigint][] = []
  for (const child of only ? [only] : reserved.children) {
    if (!isAvailable(child)) continue
    const reg = propertyCells(child, 'reg')
    if (reg.length < addressCells + sizeCells) continue
    const start = cellsValue(reg.slice(0, addressCells))
    ranges.push([start, start + cellsValue(reg.slice(addressCells, addressCells + sizeCells))])
  }
  return ranges
}

/** memblock_find_in_range() top-down: the highest CMA-aligned base whose range misses `taken`. */
function topDown(size: bigint, start: bigint, end: bigint, taken: [bigint, bigint][]): bigint {
  let base = (end - size) & ~(CMA_ALIGN - 1n)
  while (base >= start) {
    const clash = taken.find(([from, to]) => from < base + size && to > base)
    if (!clash) return base
    base = (clash[0] - size) & ~(CMA_ALIGN - 1n)
  }
  return start
}

/**
 * Where mem_init_print_info() runs. Up to 6.10, at the end of mm_core_init()'s mem_init(), when
 * only the first section of a CONFIG_DEFERRED_STRUCT_PAGE_INIT kernel is free. From 6.11 (Wei Yang,
 * "mm/mm_init.c: print mem_init info after defer_init is done" [first release from memory; the
 * 6.12 source has it]), in page_alloc_init_late() (mm/mm_init.c), which kernel_init_freeable()
 * calls after smp_init(), once deferred_init_memmap() freed every page.
 */
export function memoryLineIsLate(kernel: Kernel): boolean {
  return versionAtLeast(kernel.inputs.profile.version, 6, 11)
}

/**
 * mem_init_print_info(): the board's RAM against the image sections and reservations. Available is
 * nr_free_pages(): early (see memoryLineIsLate), the first deferred section less the image and the
 * early allocations in it; late, all RAM but the reservations (CMA is not yet released to the buddy
 * allocator: cma_init_reserved_areas() is a core_initcall) and what was allocated until then.
 */
export function printMemory(kernel: Kernel, cmaK: number): void {
  const { profile, board } = kernel.inputs
  const { textK, rwdataK, rodataK, initK, bssK } = profile.image
  const totalK = Number(board.memory.size / 1024n)
  const imageK = textK + rwdataK + rodataK + initK + bssK
  // The initramfs is reserved page-aligned until populate_rootfs frees it.
  const initrdReservedK = kernel.inputs.initramfs
    ? kernel.inputs.initramfs.sizeK + kernel.inputs.profile.pageSizeK
    : 0
  const reservedK = imageK + profile.memory.otherReservedK + initrdReservedK
  let availableK = totalK - reservedK - cmaK
  const section = profile.memory.deferredInitSectionK
  if (memoryLineIsLate(kernel)) availableK -= profile.memory.earlyAllocK
  else if (section !== undefined)
    availableK = Math.min(availableK, section - imageK - profile.memory.earlyAllocK)
  kernel.printk(
    'info',
    `Memory: ${availableK}K/${totalK}K available (${textK}K kernel code, ${rwdataK}K rwdata, ${rodataK}K rodata, ${initK}K init, ${bssK}K bss, ${reservedK}K reserved, ${cmaK}K cma-reserved)`,
  )
}
