import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runWhatIf, type WhatIfRequest } from '../../src-main/analysis/whatif'
import type { SymbolVerdict } from '../../src-main/analysis/whatif-types'
import { ROOT } from '../kernel/helpers'

/**
 * The DMA-BUF heaps as modules on 6.12, with and without each heaps series: the verdict against
 * the real build of each heap as a module (resources/real-build/6.12.json) and boot B on hikey960.
 * Debian leaves DMABUF_HEAPS unset, so each what-if sets it too.
 */
const RESOURCES = join(ROOT, 'resources')
const CMA = 'CONFIG_DMABUF_HEAPS_CMA'
const SYSTEM = 'CONFIG_DMABUF_HEAPS_SYSTEM'

const whatIf = (request: Omit<WhatIfRequest, 'resources' | 'kernel' | 'profiles'>) =>
  runWhatIf({
    profiles: ['hikey960'],
    kernel: 'debian-6.12-arm64',
    resources: RESOURCES,
    ...request,
  })

const bothHeaps = { CONFIG_DMABUF_HEAPS: 'y', [SYSTEM]: 'm', [CMA]: 'm' } as const

function verdictOf(verdicts: SymbolVerdict[], symbol: string): SymbolVerdict {
  const verdict = verdicts.find((candidate) => candidate.symbol === symbol)
  if (!verdict) throw new Error(`no verdict for ${symbol}`)
  return verdict
}

const subjects = (verdict: SymbolVerdict, code: string) =>
  verdict.items.filter((item) => item.code === code).map((item) => item.subject)

describe('the DMA-BUF heaps as modules, 6.12', () => {
  it('without a series: bool, none of the CMA and heap symbols exported, no licence, permanent', () => {
    const result = whatIf({ changes: bothHeaps })
    for (const symbol of [CMA, SYSTEM]) {
      const verdict = verdictOf(result.verdicts, symbol)
      expect(verdict.builds).toBe(false)
      expect(subjects(verdict, 'kconfig-bool')).toEqual([symbol])
      expect(subjects(verdict, 'namespace')).toEqual(['dma_buf_export'])
      // Said once: the recorded build's own WARNING of the same import is not repeated.
      const imports = verdict.items.filter((item) => /does not import it/.test(item.message))
      expect(imports.map((item) => item.severity)).toEqual(['error'])
      expect(subjects(verdict, 'permanent')).toEqual([symbol === CMA ? 'cma_heap' : 'system_heap'])
      const licence = verdict.items.find((item) => /MODULE_LICENSE/.test(item.message))
      expect(licence?.severity).toBe('error')
    }
    expect(subjects(verdictOf(result.verdicts, CMA), 'undefined')).toEqual([
      'cma_alloc',
      'cma_get_name',
      'cma_release',
      'dma_contiguous_default_area',
      'dma_heap_add',
      'dma_heap_get_drvdata',
      'dma_heap_get_name',
    ])
    expect(subjects(verdictOf(result.verdicts, SYSTEM), 'undefined')).toEqual([
      'dma_heap_add',
      'dma_heap_get_name',
    ])
    expect(result.refused).toMatch(/is a bool symbol/)
    expect(result.ok).toBe(false)
  })

  it('asked alone, the heap has no DMABUF_HEAPS to depend on: boot A, which builds it in, is refused, and the verdict still answers', () => {
    const result = whatIf({ changes: { [CMA]: 'm' } })
    expect(result.refusedBoot).toBe('A')
    expect(result.refused).toMatch(
      /^CONFIG_DMABUF_HEAPS_CMA built in, to compare against: debian-6\.12-arm64: CONFIG_DMABUF_HEAPS_CMA=y is impossible: it depends on DMABUF_HEAPS && DMA_CMA .*; add what it depends on with --config$/,
    )
    expect(result.boards).toEqual([])
    expect(subjects(verdictOf(result.verdicts, CMA), 'kconfig-bool')).toEqual([CMA])
    expect(result.ok).toBe(false)
  })

  it("Stultz 2019 as posted: tristate and the CMA exports, but dma_heap_get_name and DMA_BUF's import are missing", () => {
    const result = whatIf({ changes: bothHeaps, series: ['stultz-2019-dma-buf-heaps-modules'] })
    for (const symbol of [CMA, SYSTEM]) {
      const verdict = verdictOf(result.verdicts, symbol)
      expect(verdict.builds).toBe(false)
      expect(subjects(verdict, 'kconfig-bool')).toEqual([])
      expect(subjects(verdict, 'undefined')).toEqual(['dma_heap_get_name'])
      expect(subjects(verdict, 'namespace')).toEqual(['dma_buf_export'])
      // Said once: the recorded build's own WARNING of the same import is not repeated.
      const imports = verdict.items.filter((item) => /does not import it/.test(item.message))
      expect(imports.map((item) => item.severity)).toEqual(['error'])
      expect(subjects(verdict, 'permanent')).toHaveLength(1)
      expect(verdict.items.some((item) => /MODULE_LICENSE/.test(item.message))).toBe(false)
    }
    // Boot B: the loader refuses the modules on the same symbols, so no heap ever appears.
    expect(result.refused).toBeUndefined()
    expect(result.boards[0]?.diff.heaps).toEqual({ added: [], missing: ['reserved', 'system'] })
    expect(result.ok).toBe(false)
  })

  it('Ripard 2026 with its dma-heap prerequisites: builds (dev_get_cma_area, both namespaces imported), permanent', () => {
    const result = whatIf({
      changes: bothHeaps,
      series: ['ripard-2026-dma-buf-heaps-modules'],
      load: { kind: 'at', seconds: 20 },
    })
    for (const symbol of [CMA, SYSTEM]) {
      const verdict = verdictOf(result.verdicts, symbol)
      expect(verdict.builds).toBe(true)
      expect(subjects(verdict, 'undefined')).toEqual([])
      expect(subjects(verdict, 'namespace')).toEqual([])
      expect(subjects(verdict, 'permanent')).toHaveLength(1)
      expect(subjects(verdict, 'no-device')).toEqual([symbol])
    }
    const cmaSymbols = verdictOf(result.verdicts, CMA).items.map((item) => item.subject)
    expect(cmaSymbols).toContain('dev_get_cma_area')
    expect(cmaSymbols).not.toContain('dma_contiguous_default_area')
    // Boot A builds the heaps in; boot B loads the modules at 20 s: the same heaps, and no unload.
    expect(result.baseline).toEqual({ CONFIG_DMABUF_HEAPS: 'y', [SYSTEM]: 'y', [CMA]: 'y' })
    const [board] = result.boards
    expect(board?.diff.modules.loaded.sort()).toEqual(['cma_heap', 'system_heap'])
    expect(board?.diff.heaps).toBeUndefined()
    expect(board?.unload.map((attempt) => attempt.exitCode)).toEqual([1, 1])
    expect(board?.unload[0]?.output).toMatch(/Device or resource busy/)
    expect(result.ok).toBe(true)
    // No device loads a heap: a board that wants one loads it by name, so each board pays for it.
    const cma = result.memory.tables.find((entry) => entry.symbol === CMA)?.table
    expect(cma?.boards.length).toBeGreaterThan(1)
    for (const row of cma?.boards ?? []) {
      expect(row.byName, row.board).toBe(true)
      expect(row.module[4096], row.board).toBeGreaterThan(0)
    }
  })

  it('a heap module nobody loads: coldplug has no device to load it for, so the heap is missing', () => {
    for (const load of [{ kind: 'coldplug' }, { kind: 'never' }] as const) {
      const result = whatIf({
        changes: { CONFIG_DMABUF_HEAPS: 'y', [CMA]: 'm' },
        series: ['ripard-2026-dma-buf-heaps-modules'],
        load,
      })
      expect(result.boards[0]?.diff.heaps).toEqual({ added: [], missing: ['reserved'] })
      expect(result.boards[0]?.diff.modules.loaded).toEqual([])
    }
  })
})
