import { importedNames } from '../catalog/module-codec'
import type { ModuleDefinition } from '../catalog/module-schema'
import { KmodHash } from './kmod-hash'
import type { InfoEntry } from './modinfo'

/** One `.ko` as depmod reads it: path, modinfo, exported and undefined symbols. */
export interface ModuleFile {
  def: ModuleDefinition
  info: InfoEntry[]
}

export interface DepmodInput {
  /** The modules in `modules.order` order (the kernel build's link order). */
  modules: readonly ModuleFile[]
  /** Tristate code built into the image (`modules.builtin`, `modules.builtin.modinfo`). */
  builtin: readonly ModuleFile[]
  /** The build's own modules.builtin.modinfo (it also holds built-in code that is never a module). */
  builtinModinfo?: string
}

export interface DepmodOutput {
  files: Record<string, string>
  /** What depmod prints on stderr. */
  warnings: string[]
  /** Per module name: the paths of every module it needs, in modules.dep order. */
  dependencies: Map<string, string[]>
}

interface Mod {
  file: ModuleFile
  name: string
  path: string
  idx: number
  deps: Mod[]
  users: number
  depSortIdx: number
  depLoop: boolean
}

const DEP_LOOP_SORT = 2 ** 31 - 1

/**
 * kmod's depmod over the simulated tree: modules.dep, .alias, .softdep, .symbols, .builtin and
 * .order, byte-compatible with kmod 30's text files (modules sorted by modules.order, dependencies
 * topologically sorted with users first, modules.symbols in libkmod's hash order).
 */
export function depmod(input: DepmodInput): DepmodOutput {
  const mods: Mod[] = input.modules.map((file, idx) => ({
    file,
    name: file.def.name,
    path: file.def.path,
    idx,
    deps: [],
    users: 0,
    depSortIdx: DEP_LOOP_SORT,
    depLoop: false,
  }))
  const symbols = new KmodHash<Mod>(2048)
  for (const mod of mods) for (const symbol of mod.file.def.exports) symbols.add(symbol.name, mod)
  for (const mod of mods) {
    for (const name of importedNames(mod.file.def)) {
      const owner = symbols.get(name)
      if (!owner || mod.deps.includes(owner)) continue
      mod.deps.push(owner)
      owner.users += 1
    }
  }
  const warnings = sortDependencies(mods)
  const dependencies = new Map<string, string[]>()
  let dep = ''
  for (const mod of mods) {
    if (mod.depLoop) continue
    const all = allDependencies(mod).filter((d) => !d.depLoop)
    dependencies.set(
      mod.name,
      all.map((d) => d.path),
    )
    dep += `${mod.path}:${all.map((d) => ` ${d.path}`).join('')}\n`
  }
  return {
    files: {
      'modules.dep': dep,
      'modules.alias': infoLines(
        mods,
        '# Aliases extracted from modules themselves.\n',
        'alias',
        (mod, value) => `alias ${value} ${mod.name}`,
      ),
      'modules.softdep': infoLines(
        mods,
        '# Soft dependencies extracted from modules themselves.\n',
        'softdep',
        (mod, value) => `softdep ${mod.name} ${value}`,
      ),
      'modules.symbols': symbolLines(symbols),
      'modules.builtin': input.builtin.map((file) => `${file.def.path}\n`).join(''),
      'modules.builtin.modinfo':
        input.builtinModinfo ??
        input.builtin
          .flatMap((file) => file.info.map(([key, value]) => `${file.def.name}.${key}=${value}\0`))
          .join(''),
      'modules.order': input.modules.map((file) => `${file.def.path}\n`).join(''),
      'modules.devname': devnameLines(mods),
    },
    warnings,
    dependencies,
  }
}

/** depmod_calculate_dependencies(): Kahn's sort from the modules nobody uses; the rest are in cycles. */
function sortDependencies(mods: Mod[]): string[] {
  const users = mods.map((mod) => mod.users)
  const roots = mods.filter((mod) => mod.users === 0).map((mod) => mod.idx)
  let sorted = 0
  while (roots.length > 0) {
    const src = mods[roots.pop() as number] as Mod
    src.depSortIdx = sorted++
    for (const dst of src.deps) {
      users[dst.idx] = (users[dst.idx] as number) - 1
      if (users[dst.idx] === 0) roots.push(dst.idx)
    }
  }
  const warnings: string[] = []
  if (sorted < mods.length) {
    const inCycles = mods.filter((mod) => (users[mod.idx] as number) > 0)
    for (const mod of inCycles) mod.depLoop = true
    warnings.push(...reportCycles(inCycles))
    warnings.push(`depmod: ERROR: Found ${inCycles.length} modules in dependency cycles!\n`)
  }
  for (const mod of mods) mod.deps.sort(compareDeps)
  return warnings
}

function compareDeps(a: Mod, b: Mod): number {
  if (a.depLoop !== b.depLoop) return a.depLoop ? 1 : -1
  return a.depSortIdx - b.depSortIdx
}

/** depmod_report_cycles(): each cycle once, from its first module in modules.order. */
function reportCycles(inCycles: Mod[]): string[] {
  const reported = new Set<Mod>()
  const lines: string[] = []
  for (const start of inCycles) {
    if (reported.has(start)) continue
    const path = findCycle(start, [start], new Set([start]))
    if (!path) continue
    for (const mod of path) reported.add(mod)
    lines.push(
      `depmod: ERROR: Cycle detected: ${[...path, start].map((mod) => mod.name).join(' -> ')}\n`,
    )
  }
  return lines
}

function findCycle(start: Mod, path: Mod[], seen: Set<Mod>): Mod[] | undefined {
  const last = path[path.length - 1] as Mod
  for (const dep of last.deps) {
    if (dep === start) return path
    if (seen.has(dep) || !dep.depLoop) continue
    seen.add(dep)
    const found = findCycle(start, [...path, dep], seen)
    if (found) return found
  }
  return undefined
}

/** mod_get_all_sorted_dependencies(): every module reachable, once, sorted by dep_sort_idx. */
function allDependencies(mod: Mod): Mod[] {
  const found = new Set<Mod>()
  const stack = [...mod.deps].reverse()
  // Depth-first, in each module's dependency order, as mod_fill_all_unique_dependencies() walks.
  while (stack.length > 0) {
    const dep = stack.pop() as Mod
    if (found.has(dep)) continue
    found.add(dep)
    for (let i = dep.deps.length - 1; i >= 0; i--) stack.push(dep.deps[i] as Mod)
  }
  return [...found].sort(compareDeps)
}

function infoLines(
  mods: Mod[],
  header: string,
  key: string,
  line: (mod: Mod, value: string) => string,
): string {
  let out = header
  for (const mod of mods) {
    for (const [entryKey, value] of mod.file.info)
      if (entryKey === key) out += `${line(mod, value)}\n`
  }
  return out
}

/** output_devname(): modules with both a `devname:` alias and a `char-major-`/`block-major-` one. */
function devnameLines(mods: Mod[]): string {
  let out = '# Device nodes to trigger on-demand module loading.\n'
  for (const mod of mods) {
    let devname: string | undefined
    let node: string | undefined
    for (const [key, value] of mod.file.info) {
      if (key !== 'alias') continue
      const major = /^(char|block)-major-(\d+)-(\d+)$/.exec(value)
      if (value.startsWith('devname:')) devname = value.slice(8)
      else if (major) node = `${major[1] === 'char' ? 'c' : 'b'}${major[2]}:${major[3]}`
      if (devname && node) {
        out += `${mod.name} ${devname} ${node}\n`
        break
      }
    }
  }
  return out
}

function symbolLines(symbols: KmodHash<Mod>): string {
  let out = '# Aliases for symbols, used by symbol_request().\n'
  for (const [name, owner] of symbols.entries()) out += `alias symbol:${name} ${owner.name}\n`
  return out
}
