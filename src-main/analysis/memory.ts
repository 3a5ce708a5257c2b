import type { DeviceTree } from '../hardware/devicetree'
import { indexTree, isAvailable } from '../kernel/of-tree'
import type { BoardMemory, MemoryTable, SectionSizes } from './whatif-types'

export const PAGE_SIZES = [4096, 16384, 65536] as const

const roundUp = (bytes: number, page: number) => Math.ceil(bytes / page) * page

/** Bytes a built-in driver keeps after free_initmem(): its init sections go with the rest of init. */
export const builtinBytes = (s: SectionSizes) => s.text + s.rodata + s.roAfterInit + s.data + s.bss

/**
 * Bytes a loaded module keeps: each region of struct module's mod_mem page-aligned on its own
 * (kernel/module/main.c layout_sections(), module_get_offset_and_type() with
 * CONFIG_STRICT_MODULE_RWX); `.bss` lies in the data region. The init regions are freed once
 * module_init returns (do_init_module()).
 */
export function moduleBytes(s: SectionSizes, page: number): { core: number; init: number } {
  if (s.parts)
    return s.parts.reduce(
      (sum, part) => {
        const bytes = moduleBytes(part, page)
        return { core: sum.core + bytes.core, init: sum.init + bytes.init }
      },
      { core: 0, init: 0 },
    )
  const regions = [s.text, s.rodata, s.roAfterInit, s.data + s.bss]
  const core = regions.reduce((sum, bytes) => sum + (bytes > 0 ? roundUp(bytes, page) : 0), 0)
  const init = [s.initText, s.initData].reduce(
    (sum, bytes) => sum + (bytes > 0 ? roundUp(bytes, page) : 0),
    0,
  )
  return { core, init }
}

/** Available nodes of the tree that one of the compatibles matches: the board would probe it. */
export function boardUses(tree: DeviceTree, compatibles: ReadonlySet<string>): string[] {
  return indexTree(tree)
    .all.filter((of) => isAvailable(of) && of.compatible.some((c) => compatibles.has(c)))
    .map((of) => of.path)
}

export function memoryAcrossBoards(
  sizes: SectionSizes,
  boards: readonly { id: string; tree: DeviceTree }[],
  compatibles: ReadonlySet<string>,
): MemoryTable {
  const rows: BoardMemory[] = boards.map(({ id, tree }) => {
    const uses = boardUses(tree, compatibles)
    const byName = compatibles.size === 0
    const loaded = byName || uses.length > 0
    const module: Record<number, number> = {}
    for (const page of PAGE_SIZES) module[page] = loaded ? moduleBytes(sizes, page).core : 0
    return {
      board: id,
      uses,
      ...(byName ? { byName } : {}),
      builtin: builtinBytes(sizes),
      module,
      freeIfUnused: loaded ? builtinBytes(sizes) : 0,
    }
  })
  const sum = (pick: (row: BoardMemory) => number) =>
    rows.reduce((total, row) => total + pick(row), 0)
  const module: Record<number, number> = {}
  const alignmentCost: Record<number, number> = {}
  const loading = rows.filter((row) => row.byName || row.uses.length > 0).length
  for (const page of PAGE_SIZES) {
    module[page] = sum((row) => row.module[page] ?? 0)
    alignmentCost[page] = loading * (moduleBytes(sizes, page).core - builtinBytes(sizes))
  }
  return {
    sizes,
    boards: rows,
    totals: {
      builtin: sum((row) => row.builtin),
      module,
      freeIfUnused: sum((row) => row.freeIfUnused),
    },
    alignmentCost,
  }
}

/** The sizes of several drivers taken together (one module for all, or their sum). */
export function addSizes(parts: readonly SectionSizes[]): SectionSizes {
  const total: SectionSizes = {
    text: 0,
    rodata: 0,
    roAfterInit: 0,
    data: 0,
    bss: 0,
    initText: 0,
    initData: 0,
    source: parts.map((part) => part.source).join('; '),
  }
  for (const part of parts)
    for (const key of [
      'text',
      'rodata',
      'roAfterInit',
      'data',
      'bss',
      'initText',
      'initData',
    ] as const)
      total[key] += part[key]
  return total
}

/**
 * Several drivers on each board, one module each: every figure is the sum of the drivers' own
 * tables, and a board uses the set when it uses any of them.
 */
export function sumTables(tables: readonly MemoryTable[]): MemoryTable {
  const first = tables[0]
  if (!first) throw new Error('sumTables needs at least one table')
  const sum = (pick: (table: MemoryTable) => number) =>
    tables.reduce((total, table) => total + pick(table), 0)
  const perPage = (pick: (table: MemoryTable, page: number) => number) =>
    Object.fromEntries(PAGE_SIZES.map((page) => [page, sum((table) => pick(table, page))]))
  const boards: BoardMemory[] = first.boards.map((row, index) => {
    const rows = tables.map((table) => table.boards[index] ?? row)
    const total = (pick: (r: BoardMemory) => number) => rows.reduce((t, r) => t + pick(r), 0)
    return {
      board: row.board,
      uses: [...new Set(rows.flatMap((r) => r.uses))].sort(),
      ...(rows.some((r) => r.byName) ? { byName: true } : {}),
      builtin: total((r) => r.builtin),
      module: Object.fromEntries(
        PAGE_SIZES.map((page) => [page, total((r) => r.module[page] ?? 0)]),
      ),
      freeIfUnused: total((r) => r.freeIfUnused),
    }
  })
  return {
    sizes: {
      ...addSizes(tables.map((table) => table.sizes)),
      source: `the sum of ${tables.length} drivers' own sizes, each given on its own`,
    },
    boards,
    totals: {
      builtin: sum((table) => table.totals.builtin),
      module: perPage((table, page) => table.totals.module[page] ?? 0),
      freeIfUnused: sum((table) => table.totals.freeIfUnused),
    },
    alignmentCost: perPage((table, page) => table.alignmentCost[page] ?? 0),
  }
}
