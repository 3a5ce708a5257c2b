import type { Kernel } from './kernel'
import { versionAtLeast } from '../linux/version'

export const MiB = 1024n * 1024n

/** `%pa` of a phys_addr_t: `0x` and 16 hex digits. */
export const hex18 = (value: bigint) => `0x${value.toString(16).padStart(16, '0')}`

/**
 * CMA_MIN_ALIGNMENT_BYTES (include/linux/cma.h:21): a pageblock, pageblock_order being
 * min(HUGETLB_PAGE_ORDER, MAX_PAGE_ORDER) with CONFIG_HUGETLB_PAGE
 * (include/linux/pageblock-flags.h:44): 2 MiB with 4 KiB pages.
 */
export const CMA_MIN_ALIGNMENT = 2n * MiB

export function rangesOverlap(a: [bigint, bigint], b: [bigint, bigint]): boolean {
  return a[0] < b[1] && b[0] < a[1]
}

/**
 * memblock_find_in_range() top-down: the highest `align`ed base in [start, end) whose range
 * misses `taken`, or undefined.
 */
export function topDown(
  size: bigint,
  start: bigint,
  end: bigint,
  taken: [bigint, bigint][],
  align = CMA_MIN_ALIGNMENT,
): bigint | undefined {
  if (end < size) return undefined
  let base = (end - size) & ~(align - 1n)
  while (base >= start) {
    const clash = taken.find((range) => rangesOverlap(range, [base, base + size]))
    if (!clash) return base
    if (clash[0] < size) return undefined
    base = (clash[0] - size) & ~(align - 1n)
  }
  return undefined
}

/**
 * The tree's reserved-memory regions in RAM that are neither CMA nor given back: present pages
 * that never reach the buddy allocator (memblock_reserve() or no-map), so `reserved` counts them.
 */
function reservedMemoryK(kernel: Kernel): number {
  const { start, size } = kernel.inputs.board.memory
  const kept = kernel.reservedMem
    .filter((rmem) => !rmem.cma && !rmem.freed)
    .map((rmem): [bigint, bigint] => [
      rmem.base > start ? rmem.base : start,
      rmem.base + rmem.size < start + size ? rmem.base + rmem.size : start + size,
    ])
    .filter(([from, to]) => to > from)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
  let total = 0n
  let reach = 0n
  for (const [from, to] of kept) {
    const begin = from > reach ? from : reach
    if (to > begin) total += to - begin
    if (to > reach) reach = to
  }
  return Number(total / 1024n)
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
export function printMemory(kernel: Kernel): void {
  const cmaK = kernel.cma.totalK
  const { profile, board } = kernel.inputs
  const { textK, rwdataK, rodataK, initK, bssK } = profile.image
  const totalK = Number(board.memory.size / 1024n)
  const imageK = textK + rwdataK + rodataK + initK + bssK
  // The initramfs is reserved page-aligned until populate_rootfs frees it.
  const initrdReservedK = kernel.inputs.initramfs
    ? kernel.inputs.initramfs.sizeK + kernel.inputs.profile.pageSizeK
    : 0
  const reservedK =
    imageK + profile.memory.otherReservedK + initrdReservedK + reservedMemoryK(kernel)
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
