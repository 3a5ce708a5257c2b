import { describe, expect, it } from 'vitest'
import { boardConsole } from './helpers'

const zones = (lines: string[]) =>
  lines.slice(lines.indexOf('Zone ranges:') + 1, lines.indexOf('Zone ranges:') + 4)

/**
 * zone_sizes_init() (arch/arm64/mm/init.c:122): ZONE_DMA up to the tree's lowest dma-ranges limit
 * and no higher than 4 GiB when RAM starts below it, ZONE_DMA32 to 4 GiB, ZONE_NORMAL the rest;
 * dma_contiguous_reserve() places the default CMA area top-down below the end of ZONE_DMA.
 */
describe('memory zones and the default CMA area', () => {
  // A real SDM845 board without db845c's `fastrpc` pool (Freebox Delta, 6.7) reserves its default
  // area right under 4 GiB; db845c's tree places that reusable pool there first (dynamic regions
  // come before dma_contiguous_reserve()), so the default area goes below it.
  it('db845c: DMA below 4 GiB, Normal above, CMA right under the fastrpc pool under 4 GiB', () => {
    const lines = boardConsole('db845c')
    expect(zones(lines)).toEqual([
      '  DMA      [mem 0x0000000080000000-0x00000000ffffffff]',
      '  DMA32    empty',
      '  Normal   [mem 0x0000000100000000-0x000000017fffffff]',
    ])
    expect(lines).toContain(
      'OF: reserved mem: 0x00000000fec00000..0x00000000ffbfffff (16384 KiB) map reusable fastrpc',
    )
    expect(lines).toContain('cma: Reserved 64 MiB at 0x00000000fac00000 on node -1')
    expect(lines).toContain('Policy zone: Normal')
  })

  it("rpi4b: the 1 GiB dma-ranges of its buses end ZONE_DMA, and the pool's alloc-ranges hold CMA", () => {
    const lines = boardConsole('rpi4b')
    expect(zones(lines)).toEqual([
      '  DMA      [mem 0x0000000000000000-0x000000003fffffff]',
      '  DMA32    [mem 0x0000000040000000-0x00000000ffffffff]',
      '  Normal   empty',
    ])
    expect(lines).toContain(
      'Reserved memory: created CMA memory pool at 0x000000003c000000, size 64 MiB',
    )
  })

  it("pixel6-oriole: CMA goes below the tree's no-map regions under 4 GiB", () => {
    expect(boardConsole('pixel6-oriole')).toContain(
      'cma: Reserved 64 MiB at 0x00000000f4800000 on node -1',
    )
  })

  it('cma= on the command line still sizes the default area', () => {
    expect(boardConsole('db845c', 'cma=32M')).toContain(
      'cma: Reserved 32 MiB at 0x00000000fcc00000 on node -1',
    )
  })

  it('prints each static reserved-memory region where 6.12 scans them, and no "No reserved-memory node"', () => {
    const lines = boardConsole('pixel6-oriole')
    expect(lines).toContain(
      'OF: reserved mem: 0x0000000090200000..0x00000000905fffff (4096 KiB) nomap non-reusable gsa@90200000',
    )
    expect(lines.indexOf('efi: UEFI not found.') + 1).toBe(
      lines.findIndex((line) => line.startsWith('OF: reserved mem: 0x')),
    )
    expect(lines.some((line) => line.includes('No reserved-memory node'))).toBe(false)
  })

  it('sizes the atomic DMA pools from RAM: 512 KiB on 4 GiB, as a real db845c prints', () => {
    expect(boardConsole('db845c')).toContain(
      'DMA: preallocated 512 KiB GFP_KERNEL pool for atomic allocations',
    )
  })
})
