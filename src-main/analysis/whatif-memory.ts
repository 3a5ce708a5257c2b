import type { KernelProfile } from '../catalog/kernel-profile-schema'
import type { BuiltinProfile } from '../hardware/builtin-profiles'
import { addSizes, memoryAcrossBoards, moduleBytes, PAGE_SIZES, sumTables } from './memory'
import type { BuildRecords } from './verdict'
import { driversOf, modulesOf } from './verdict-module'
import type { SectionSizes, WhatIfMemory } from './whatif-types'

/** A module's sizes as its `.ko` gives them; a built-in one has none (no `.ko` was built). */
function shippedSizes(profile: KernelProfile, symbol: string): SectionSizes | undefined {
  const module = modulesOf(profile, symbol).find((m) => m.sizes.text > 0)
  if (!module) return undefined
  return {
    ...module.sizes,
    bss: 0,
    source: `${module.path} (sizes as the module loader lays it out; .bss in data)`,
  }
}

/** A symbol's sections: its shipped `.ko`'s, else a real module build's (scripts/real-build). */
export const symbolSizes = (
  profile: KernelProfile,
  symbol: string,
  build: BuildRecords | undefined,
): SectionSizes | undefined => shippedSizes(profile, symbol) ?? build?.sizes(symbol)

const compatiblesOf = (profile: KernelProfile, symbol: string) =>
  [...driversOf(profile, symbol, 'builtin'), ...driversOf(profile, symbol, 'module')].flatMap(
    (def) => def.compatible,
  )

/**
 * The symbol and, transitively, those whose code needs its code (a library such as
 * pinctrl-exynos or the Samsung clock core has no device of its own: a board loads it when it
 * loads a driver that calls it).
 */
function usersOf(symbol: string, build: BuildRecords | undefined): string[] {
  const seen = new Set([symbol])
  for (const at of seen) for (const user of build?.neededBy(at) ?? []) seen.add(user)
  return [...seen]
}

export function whatIfMemory(
  profile: KernelProfile,
  symbols: readonly string[],
  boards: readonly BuiltinProfile[],
  build: BuildRecords | undefined,
): WhatIfMemory {
  const tables: WhatIfMemory['tables'] = []
  const unknown: WhatIfMemory['unknown'] = []
  const trees = boards.map((board) => ({ id: board.file.id, tree: board.tree }))
  for (const symbol of symbols) {
    const sizes = symbolSizes(profile, symbol, build)
    if (!sizes) {
      unknown.push({
        symbol,
        reason: `${profile.config[symbol] === 'y' ? 'built in by' : 'not built by'} the kernel package and no real module build of it is recorded (scripts/real-build)`,
      })
      continue
    }
    const compatibles = new Set(
      usersOf(symbol, build).flatMap((user) => compatiblesOf(profile, user)),
    )
    tables.push({ symbol, table: memoryAcrossBoards(sizes, trees, compatibles) })
  }
  if (tables.length < 2) return { tables, unknown }
  const together = addSizes(tables.map(({ table }) => table.sizes))
  const splitCost: Record<number, number> = {}
  for (const page of PAGE_SIZES)
    splitCost[page] =
      tables.reduce((sum, { table }) => sum + moduleBytes(table.sizes, page).core, 0) -
      moduleBytes(together, page).core
  return { tables, unknown, together: sumTables(tables.map(({ table }) => table)), splitCost }
}
