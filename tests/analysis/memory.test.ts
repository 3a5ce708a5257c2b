import { describe, expect, it } from 'vitest'
import { builtinBytes, moduleBytes, sumTables } from '../../src-main/analysis/memory'
import type { MemoryTable, SectionSizes } from '../../src-main/analysis/whatif-types'

const sizes: SectionSizes = {
  text: 5000,
  rodata: 100,
  roAfterInit: 0,
  data: 300,
  bss: 50,
  initText: 700,
  initData: 10,
  source: 'test',
}

describe('what a driver costs', () => {
  it('built in: its sections, init freed with the rest of init', () => {
    expect(builtinBytes(sizes)).toBe(5450)
  })

  it('as a module: each region page-aligned on its own, .bss in data, init freed after load', () => {
    expect(moduleBytes(sizes, 4096)).toEqual({ core: 4 * 4096, init: 2 * 4096 })
    expect(moduleBytes(sizes, 16384)).toEqual({ core: 3 * 16384, init: 2 * 16384 })
    expect(moduleBytes(sizes, 65536)).toEqual({ core: 3 * 65536, init: 2 * 65536 })
  })
})

describe('several drivers across the boards', () => {
  const row = (board: string, uses: string[], builtin: number, module: number, free: number) => ({
    board,
    uses,
    builtin,
    module: { 4096: module, 16384: module * 2, 65536: module * 4 },
    freeIfUnused: free,
  })
  const table = (rows: ReturnType<typeof row>[]): MemoryTable => ({
    sizes,
    boards: rows,
    totals: {
      builtin: rows.reduce((t, r) => t + r.builtin, 0),
      module: { 4096: 1, 16384: 2, 65536: 3 },
      freeIfUnused: rows.reduce((t, r) => t + r.freeIfUnused, 0),
    },
    alignmentCost: { 4096: 10, 16384: 20, 65536: 30 },
  })

  it('one module each: a board pays the sum, and uses the set when it uses any of them', () => {
    const pmu = table([row('a', ['/soc/pmu'], 100, 4096, 100), row('b', [], 100, 0, 0)])
    const chipid = table([
      row('a', ['/soc/chipid'], 50, 4096, 50),
      row('b', ['/chipid'], 50, 4096, 50),
    ])
    const together = sumTables([pmu, chipid])
    expect(together.boards).toEqual([
      row('a', ['/soc/chipid', '/soc/pmu'], 150, 8192, 150),
      row('b', ['/chipid'], 150, 4096, 50),
    ])
    expect(together.totals).toEqual({
      builtin: 300,
      module: { 4096: 2, 16384: 4, 65536: 6 },
      freeIfUnused: 200,
    })
    expect(together.alignmentCost).toEqual({ 4096: 20, 16384: 40, 65536: 60 })
    expect(together.sizes.text).toBe(2 * sizes.text)
  })
})
