import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { realBuildRecords } from '../../src-main/analysis/build-records'
import { moduleBytes } from '../../src-main/analysis/memory'
import { runWhatIf } from '../../src-main/analysis/whatif'
import { whatIfMemory } from '../../src-main/analysis/whatif-memory'
import { KernelRegistry } from '../../src-main/catalog/kernel-registry'
import { loadBuiltinProfiles } from '../../src-main/hardware/builtin-profiles'
import { runBoot } from '../../src-main/sessions/boot-runner'
import { ROOT } from '../kernel/helpers'

/**
 * The engine's free_unused_builtin (src-main/kernel/free-unused.ts) against the what-if's memory
 * table (src-main/analysis/memory.ts) for the same drivers on every built-in board: the table
 * reads the tree (a board "uses" a driver when an available node matches it, or one of the
 * drivers calling it), the engine what the boot did (bound, deferred, *_OF_DECLARE ran, a kept
 * caller). On these boards and drivers the two agree: every node that matches is populated and
 * its driver binds it, waits for it, or initialised it at boot. Where they could part (a matched
 * node whose probe rejects it: the table counts it used, the engine frees the driver), this test
 * would say so.
 */
const RESOURCES = join(ROOT, 'resources')
const KERNEL = 'debian-6.12-arm64'
const SYMBOLS = [
  'EXYNOS_PMU',
  'EXYNOS_CHIPID',
  'PINCTRL_SAMSUNG',
  'PINCTRL_EXYNOS',
  'PINCTRL_EXYNOS_ARM64',
  'COMMON_CLK_SAMSUNG',
  'EXYNOS_ARM64_COMMON_CLK',
  'EXYNOS_PM_DOMAINS',
  'CLKSRC_EXYNOS_MCT',
  'MTK_TIMER',
  'ARM_SMMU',
  'MMC_MTK',
].map((symbol) => `CONFIG_${symbol}`)

const kernel = new KernelRegistry(join(RESOURCES, 'kernels')).find(KERNEL)
const boards = loadBuiltinProfiles(join(RESOURCES, 'profiles'))
const build = realBuildRecords(RESOURCES, '6.12')

describe("the engine's freed total equals the what-if's memory table, board by board", () => {
  if (!kernel) throw new Error(`no kernel ${KERNEL}`)
  const memory = whatIfMemory(kernel, SYMBOLS, boards, build)

  it('the table knows every size', () => {
    expect(memory.unknown).toEqual([])
    expect(memory.tables.map((table) => table.symbol)).toEqual(SYMBOLS)
  })

  for (const board of boards.map((profile) => profile.file.id))
    it(board, () => {
      const rows = memory.tables.map(({ symbol, table }) => {
        const row = table.boards.find((candidate) => candidate.board === board)
        if (!row) throw new Error(`no row for ${board}`)
        return { symbol, table, row }
      })
      const never = rows.filter(({ row }) => row.uses.length === 0 && !row.byName)
      const predicted = {
        freed: never.map(({ symbol }) => symbol),
        // What the table saves: a board pays `freeIfUnused` instead of `builtin`.
        bytes: rows.reduce((sum, { row }) => sum + row.builtin - row.freeIfUnused, 0),
        pages: never.reduce((sum, { table }) => sum + moduleBytes(table.sizes, 4096).core, 0),
      }

      const run = runBoot({
        profile: board,
        kernel: KERNEL,
        resources: RESOURCES,
        config: Object.fromEntries(SYMBOLS.map((symbol) => [symbol, 'free' as const])),
      })
      const freed = (run.kernel.freedUnused ?? []).filter((outcome) => outcome.freed)
      expect(freed.map((outcome) => outcome.symbol)).toEqual(predicted.freed)
      const bytes = freed.reduce((sum, outcome) => sum + (outcome.sizes?.exact ?? 0), 0)
      const pages = freed.reduce((sum, outcome) => sum + (outcome.sizes?.pages ?? 0), 0)
      expect({ freed: predicted.freed, bytes, pages }).toEqual(predicted)
      const texts = run.kernel.log.records.map((record) => record.text)
      expect(texts).toContain(
        `modlab: free_unused_builtin (proposed upstream, not in Linux): Freeing unused built-in driver memory: ${pages / 1024}K`,
      )
    })
})

describe("the what-if's free change boots B with the option", () => {
  it('pixel6-oriole, CONFIG_EXYNOS_CHIPID=free: boot B frees it, as the table says it saves', () => {
    const result = runWhatIf({
      profiles: ['pixel6-oriole'],
      kernel: KERNEL,
      resources: RESOURCES,
      changes: { CONFIG_EXYNOS_CHIPID: 'free' },
    })
    const table = result.memory.tables[0]?.table
    if (!table) throw new Error('no memory table for CONFIG_EXYNOS_CHIPID')
    expect(table.boards[0]?.uses).toEqual([])
    expect(table.boards[0]?.freeIfUnused).toBe(0)
    const pages = moduleBytes(table.sizes, 4096).core
    expect(result.boards[0]?.diff.dmesg).toContain(
      `+modlab: free_unused_builtin (proposed upstream, not in Linux): Freeing unused built-in driver memory: ${pages / 1024}K`,
    )
    expect(result.boards[0]?.outcome.after).toBe('running')
  })
})
