import { ERRNO } from '../linux/errno'
import { versionAtLeast } from '../linux/version'
import type { Kernel } from './kernel'
import { CMA_MIN_ALIGNMENT, hex18, MiB, rangesOverlap, topDown } from './memblock'
import { zoneLayout } from './mm-zones'
import { hasProperty } from './of-tree'
import type { ReservedMem } from './of-reserved-mem'

/** struct cma (mm/cma.h): a named range of pages; the simulation allocates nothing from it. */
export interface CmaArea {
  name: string
  base: bigint
  size: bigint
}

/** mm/cma.c's cma_areas[] and totalcma_pages, with dma_contiguous_default_area. */
export class CmaAreas {
  readonly areas: CmaArea[] = []
  /** dma_contiguous_default_area (kernel/dma/contiguous.c:55): what dev_get_cma_area(NULL) returns. */
  defaultArea?: CmaArea

  /** cma_init_reserved_mem() (mm/cma.c:169) on memory already reserved: the area, or -errno. */
  initReservedMem(base: bigint, size: bigint, name: string): CmaArea | number {
    if (size === 0n) return -ERRNO.EINVAL
    if ((base | size) % CMA_MIN_ALIGNMENT !== 0n) return -ERRNO.EINVAL
    const area = { name, base, size }
    this.areas.push(area)
    return area
  }

  /** totalcma_pages in KiB: `cma-reserved` of the Memory line, CmaTotal of /proc/meminfo. */
  get totalK(): number {
    return Number(this.areas.reduce((sum, area) => sum + area.size, 0n) / 1024n)
  }
}

/** memparse() (lib/cmdline.c): a number with an optional K, M, G, T, P or E suffix; the rest. */
function memparse(text: string): [bigint, string] | undefined {
  const match = /^(0x[0-9a-f]+|\d+)([kmgtpe]?)(.*)$/i.exec(text)
  if (!match) return undefined
  const suffix = (match[2] ?? '').toUpperCase()
  const shift = suffix ? 'KMGTPE'.indexOf(suffix) + 1 : 0
  return [BigInt(match[1] as string) << BigInt(10 * shift), match[3] ?? '']
}

/** early_cma() (kernel/dma/contiguous.c:72): `cma=size[@base[-limit]]`. */
export function cmaCmdline(
  kernel: Kernel,
): { size: bigint; base: bigint; limit: bigint } | undefined {
  const value = kernel.cmdline.params.get('cma')
  if (typeof value !== 'string') return undefined
  const size = memparse(value)
  if (!size) return { size: 0n, base: 0n, limit: 0n }
  if (!size[1].startsWith('@')) return { size: size[0], base: 0n, limit: 0n }
  const base = memparse(size[1].slice(1))
  if (!base) return { size: size[0], base: 0n, limit: 0n }
  if (!base[1].startsWith('-')) return { size: size[0], base: base[0], limit: base[0] + size[0] }
  return { size: size[0], base: base[0], limit: memparse(base[1].slice(1))?.[0] ?? 0n }
}

/**
 * rmem_cma_setup() (kernel/dma/contiguous.c:456), RESERVEDMEM_OF_DECLARE(cma, "shared-dma-pool"):
 * a `reusable` region without `no-map` becomes a CMA area named after its node; the one with
 * `linux,cma-default` is the default area, unless `cma=` was given.
 */
export function rmemCmaSetup(kernel: Kernel, rmem: ReservedMem): number {
  const isDefault = hasProperty(rmem.node, 'linux,cma-default')
  if (cmaCmdline(kernel) && isDefault) {
    kernel.printk(
      'info',
      `Reserved memory: bypass ${rmem.name} node, using cmdline CMA params instead`,
    )
    return -ERRNO.EBUSY
  }
  if (!hasProperty(rmem.node, 'reusable') || hasProperty(rmem.node, 'no-map')) return -ERRNO.EINVAL
  if ((rmem.base | rmem.size) % CMA_MIN_ALIGNMENT !== 0n) {
    kernel.printk('err', 'Reserved memory: incorrect alignment of CMA region')
    return -ERRNO.EINVAL
  }
  const area = kernel.cma.initReservedMem(rmem.base, rmem.size, rmem.name)
  if (typeof area === 'number') {
    kernel.printk('err', 'Reserved memory: unable to setup CMA region')
    return area
  }
  if (isDefault) kernel.cma.defaultArea = area
  rmem.cma = true
  kernel.printk(
    'info',
    `Reserved memory: created CMA memory pool at ${hex18(rmem.base)}, size ${rmem.size / MiB} MiB`,
  )
  return 0
}

/**
 * dma_contiguous_reserve(arm64_dma_phys_limit) (kernel/dma/contiguous.c:211, from bootmem_init(),
 * arch/arm64/mm/init.c:350): unless the tree gave a default area, `cma=` or CONFIG_CMA_SIZE_MBYTES
 * (CMA_SIZE_SEL_MBYTES, Debian's choice; the profile's `memory.cmaDefaultMiB`) is declared as the
 * area "reserved" (dma_contiguous_reserve_area(), :279).
 */
export function dmaContiguousReserve(kernel: Kernel): void {
  const { profile, board } = kernel.inputs
  if (profile.config.CONFIG_DMA_CMA !== 'y' || kernel.cma.defaultArea) return
  const cmdline = cmaCmdline(kernel)
  const { dmaPhysLimit } = zoneLayout(board)
  const limit = cmdline?.limit
    ? cmdline.limit < dmaPhysLimit
      ? cmdline.limit
      : dmaPhysLimit
    : dmaPhysLimit
  const size = cmdline ? cmdline.size : BigInt(profile.memory.cmaDefaultMiB) * MiB
  if (size === 0n) return
  const fixed =
    cmdline !== undefined && cmdline.base !== 0n && cmdline.base + size === cmdline.limit
  cmaDeclareContiguous(kernel, cmdline?.base ?? 0n, size, limit, fixed)
}

/**
 * cma_declare_contiguous_nid() (mm/cma.c:230) with NUMA_NO_NODE: a fixed base as given, else
 * top-down below the limit. The early allocations at the top of RAM (cmaBelowTopK, measured on
 * virt) lie under the area only when the limit is the end of RAM; below a lower limit only the
 * tree's reserved-memory regions are taken yet.
 */
function cmaDeclareContiguous(
  kernel: Kernel,
  wantedBase: bigint,
  wantedSize: bigint,
  wantedLimit: bigint,
  fixed: boolean,
): void {
  const { profile, board } = kernel.inputs
  // " on node %d" from 6.12 [first release unverified; absent in 6.1].
  const node = versionAtLeast(profile.version, 6, 12) ? ' on node -1' : ''
  const align = CMA_MIN_ALIGNMENT
  const size = ((wantedSize + align - 1n) / align) * align
  const top = board.memory.start + board.memory.size
  const limit = wantedLimit & ~(align - 1n)
  const fail = () => kernel.printk('err', `cma: Failed to reserve ${size / MiB} MiB${node}`)
  if (fixed && wantedBase % align !== 0n) {
    kernel.printk(
      'err',
      `cma: Region at ${hex18(wantedBase)} must be aligned to ${hex18(align)} bytes`,
    )
    return fail()
  }
  const taken = kernel.reservedMem
    .filter((rmem) => !rmem.freed)
    .map((r) => [r.base, r.base + r.size] as [bigint, bigint])
  let base: bigint
  if (fixed) {
    if (taken.some((range) => rangesOverlap(range, [wantedBase, wantedBase + size]))) return fail()
    base = wantedBase
  } else if (limit >= top && wantedBase === 0n) {
    base = top - BigInt(profile.memory.cmaBelowTopK) * 1024n - size
  } else {
    const from = wantedBase > board.memory.start ? wantedBase : board.memory.start
    const found = topDown(size, from, limit, taken)
    if (found === undefined) return fail()
    base = found
  }
  const area = kernel.cma.initReservedMem(base, size, 'reserved')
  if (typeof area === 'number') return fail()
  kernel.cma.defaultArea = area
  kernel.printk('info', `cma: Reserved ${size / MiB} MiB at ${hex18(base)}${node}`)
}
