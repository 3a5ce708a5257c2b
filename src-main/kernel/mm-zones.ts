import type { BoardFacts } from '../hardware/board-facts'
import type { TemplateValues } from './template'

const U32_MAX = 0xffffffffn
const PAGE_SIZE = 4096n
/** The zones free_area_init() prints, in order (ZONE_MOVABLE is not printed). */
const ZONES = ['DMA', 'DMA32', 'Normal'] as const

/** The physical layout arm64's zone_sizes_init() works out (arch/arm64/mm/init.c:122). */
export interface ZoneLayout {
  /** arm64_dma_phys_limit: the end of ZONE_DMA, below which the default CMA area goes. */
  dmaPhysLimit: bigint
  /** Each zone's [start, end) in bytes; start === end is an empty zone. */
  zones: Record<(typeof ZONES)[number], { start: bigint; end: bigint }>
}

/**
 * ZONE_DMA ends at the lowest DMA limit of the tree's buses, no higher than 4 GiB when RAM starts
 * below it (init.c:140); ZONE_DMA32 at 4 GiB; ZONE_NORMAL at the end of RAM. Each zone starts
 * where the one before ended (free_area_init(), mm/mm_init.c).
 */
export function zoneLayout(board: BoardFacts): ZoneLayout {
  const start = board.memory.start
  const end = board.memory.start + board.memory.size
  const maxZonePhys = (limit: bigint) => (limit < end - 1n ? limit : end - 1n) + 1n
  let zoneDmaLimit = board.dmaMaxCpuAddress
  if (start < U32_MAX && zoneDmaLimit > U32_MAX) zoneDmaLimit = U32_MAX
  const dmaPhysLimit = maxZonePhys(zoneDmaLimit)
  const limits = [dmaPhysLimit, maxZonePhys(U32_MAX), end]
  const zones = {} as ZoneLayout['zones']
  let at = start - (start % PAGE_SIZE)
  ZONES.forEach((name, index) => {
    const limit = limits[index] as bigint
    const zoneEnd = limit > at ? limit : at
    zones[name] = { start: at, end: zoneEnd }
    at = zoneEnd
  })
  return { dmaPhysLimit, zones }
}

const hex18 = (value: bigint) => `0x${value.toString(16).padStart(16, '0')}`

/** `Zone ranges:` lines (`[mem %#018Lx-%#018Lx]` or `empty`), the policy zone and the page count. */
export function zoneValues(board: BoardFacts): TemplateValues {
  const { zones } = zoneLayout(board)
  const values: TemplateValues = {}
  let policy = 'DMA'
  for (const name of ZONES) {
    const { start, end } = zones[name]
    values[`zone.${name}`] = start === end ? 'empty' : `[mem ${hex18(start)}-${hex18(end - 1n)}]`
    // build_zonelists(): the policy zone is the highest zone with memory (check_highest_zone()).
    if (start !== end) policy = name
  }
  values['zone.policy'] = policy
  values['mem.pages'] = board.memory.size / PAGE_SIZE
  values['dma.atomicK'] = atomicPoolK(board.memory.size)
  return values
}

/**
 * dma_atomic_pool_init() (kernel/dma/pool.c:196): 128 KiB of pool a GiB of RAM (of totalram_pages(),
 * what is left once the image and early reservations are taken), at least 128 KiB, at most a
 * MAX_PAGE_ORDER block (4 MiB); printed as gen_pool_size(), which atomic_pool_expand() fills with
 * one block of the size's order (the next power of two) [totalram taken as 97 % of RAM, which is
 * what QEMU virt's 2 GiB gives: 256 KiB].
 */
export function atomicPoolK(ramBytes: bigint): number {
  const totalPages = (Number(ramBytes / PAGE_SIZE) * 97) / 100
  const pages = Math.min(Math.floor(totalPages / ((1024 * 1024 * 1024) / (128 * 1024))), 1024)
  const size = Math.max(pages * 4096, 128 * 1024)
  return 2 ** Math.ceil(Math.log2(size)) / 1024
}
