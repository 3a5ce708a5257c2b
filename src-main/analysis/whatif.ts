import { join } from 'node:path'
import { KernelRegistry } from '../catalog/kernel-registry'
import type { KernelProfile } from '../catalog/kernel-profile-schema'
import { applySeries } from '../catalog/series/apply-series'
import { findSeries, loadSeries, SeriesError } from '../catalog/series/series-loader'
import { loadBuiltinProfiles } from '../hardware/builtin-profiles'
import { NSEC_PER_SEC } from '../kernel/clock'
import { BootInputError, runBoot, type BootRequest, type BootRun } from '../sessions/boot-runner'
import { runScriptAt } from '../sessions/commands-at'
import { diffBoots } from './boot-diff'
import { realBuildRecords } from './build-records'
import { whatIfMemory } from './whatif-memory'
import { verdictFor, type BuildRecords } from './verdict'
import { modulesOf } from './verdict-module'
import type { Change } from './whatif-types'
import type { BoardWhatIf, LoadTime, UnloadAttempt, WhatIfResult } from './whatif-types'

export interface WhatIfRequest {
  /** Built-in or imported profile ids; `all` for every built-in board. */
  profiles: string[] | 'all'
  kernel?: string
  changes: Record<string, Change>
  series?: string[]
  load?: LoadTime
  cmdline?: string
  seed?: number
  resources: string
  kernels?: KernelRegistry
  imported?: BootRequest['imported']
  /** A real build's record of what a module would import (scripts/real-build). */
  build?: BuildRecords
}

export class WhatIfError extends Error {}

const configValue = (change: Change): 'y' | 'm' | 'n' => (change === 'free' ? 'y' : change)

function patchedKernel(request: WhatIfRequest, registry: KernelRegistry): KernelProfile {
  const base = request.kernel ? registry.find(request.kernel) : registry.first()
  if (!base) throw new WhatIfError(`unknown kernel "${request.kernel ?? ''}"`)
  const names = request.series ?? []
  if (names.length === 0) return base
  try {
    return applySeries(base, findSeries(join(request.resources, 'series'), names))
  } catch (error) {
    if (error instanceof SeriesError) throw new WhatIfError(error.message)
    throw error
  }
}

/** Boot B: the change, with the module kept from coldplug (`modprobe.blacklist`) when asked. */
function bootChanged(request: BootRequest, modules: string[], load: LoadTime): BootRun {
  if (load.kind === 'coldplug' || modules.length === 0) return runBoot(request)
  const blacklist = `modprobe.blacklist=${modules.join(',')}`
  const kept = { ...request, cmdline: `${request.cmdline ?? ''} ${blacklist}`.trim() }
  if (load.kind === 'never') return runBoot(kept)
  const script = modules.map((name) => `modprobe ${name}`).join('; ')
  return runScriptAt(kept, script, { seconds: load.seconds }).run
}

/**
 * Boot A's config: the kernel as it is, except that a symbol the what-if makes `m` which the kernel
 * does not build at all is built in, with the request's `y` changes (what its `depends on` needs):
 * the question is built in against a module, and a kernel without the driver answers neither
 * (Debian's 6.12 leaves DMABUF_HEAPS and its heaps out).
 */
function baselineOf(
  kernel: KernelProfile,
  changes: Record<string, Change>,
): Record<string, 'y'> | undefined {
  const absent = Object.keys(changes).filter(
    (symbol) => changes[symbol] === 'm' && (kernel.config[symbol] ?? 'n') === 'n',
  )
  if (absent.length === 0) return undefined
  const enabling = Object.keys(changes).filter((symbol) => changes[symbol] === 'y')
  return Object.fromEntries([...enabling, ...absent].map((symbol) => [symbol, 'y' as const]))
}

/**
 * `rmmod` of each changed module at the end of boot B, then a second of the machine running on:
 * an unload that left the kernel calling freed code shows there (an Oops), as it would on a board.
 */
function tryUnload(run: BootRun, modules: string[]): UnloadAttempt[] {
  const loader = run.kernel.modules
  return modules
    .filter((name) => loader?.find(name))
    .map((name) => {
      const [record] = run.shell.run(`rmmod ${name}`)
      const exitCode = record?.exitCode ?? 0
      const after = exitCode === 0 ? run.shell.run('sleep 1') : []
      return {
        module: name,
        exitCode,
        output: (record?.stdout ?? '') + (record?.stderr ?? ''),
        kernelLines: [...(record?.kernelLines ?? []), ...after.flatMap((r) => r.kernelLines)],
      }
    })
}

/**
 * The changes by Kconfig symbol: a key that is a module's name (`arm_smmu`, as the Lab shows it)
 * stands for the symbol that builds that module.
 */
function resolveChanges(
  kernel: KernelProfile,
  changes: Record<string, Change>,
): Record<string, Change> {
  const resolved: Record<string, Change> = {}
  for (const [key, change] of Object.entries(changes)) {
    if (key.startsWith('CONFIG_')) {
      resolved[key] = change
      continue
    }
    const name = key.replace(/-/g, '_')
    const symbol =
      kernel.modules.find((module) => module.name === name)?.kconfig ??
      (kernel.driverForms ?? kernel.drivers).find((def) => def.module === name)?.kconfig
    if (!symbol)
      throw new WhatIfError(`no module or Kconfig symbol named ${key} in kernel ${kernel.id}`)
    resolved[symbol] = change
  }
  return resolved
}

export function runWhatIf(request: WhatIfRequest): WhatIfResult {
  const registry = request.kernels ?? new KernelRegistry(join(request.resources, 'kernels'))
  const kernel = patchedKernel(request, registry)
  const allSeries = loadSeries(join(request.resources, 'series'))
  // What a real build of a built-in driver as a module says, for this kernel's version.
  const build = request.build ?? realBuildRecords(request.resources, kernel.version.join('.'))
  const changes = resolveChanges(kernel, request.changes)
  const symbols = Object.keys(changes)
  if (symbols.length === 0)
    throw new WhatIfError('a what-if needs a change: --config CONFIG_X=m|y|n|free')

  const boardsDir = join(request.resources, 'profiles')
  const builtin = loadBuiltinProfiles(boardsDir)
  const ids = request.profiles === 'all' ? builtin.map((p) => p.file.id) : request.profiles
  const config = Object.fromEntries(
    symbols.map((symbol) => [symbol, configValue(changes[symbol] as Change)]),
  )
  const changed = { ...kernel.config, ...config }
  const verdicts = symbols.map((symbol) =>
    verdictFor(kernel, symbol, changes[symbol] as Change, allSeries, build, changed),
  )
  const changedModules = symbols
    .filter((symbol) => changes[symbol] === 'm')
    .flatMap((symbol) => modulesOf(kernel, symbol).map((module) => module.name))
  const common = {
    kernel: request.kernel,
    cmdline: request.cmdline,
    seed: request.seed,
    resources: request.resources,
    kernels: registry,
    imported: request.imported,
  }
  const boards: BoardWhatIf[] = []
  let refused: { boot: 'A' | 'B'; message: string } | undefined
  const baseline = baselineOf(kernel, changes)
  for (const board of ids) {
    let before: BootRun
    try {
      before = runBoot({ ...common, profile: board, ...(baseline ? { config: baseline } : {}) })
    } catch (error) {
      if (!(error instanceof BootInputError) || !baseline) throw error
      // The kernel leaves the driver out: boot A builds it in, which needs what it depends on.
      const built = Object.keys(baseline).join(', ')
      refused = {
        boot: 'A',
        message: `${built} built in, to compare against: ${error.message}; add what it depends on with --config`,
      }
      break
    }
    let after: BootRun
    try {
      after = bootChanged(
        // `free` reaches the boot: boot B frees what nothing uses (kernel/free-unused.ts).
        { ...common, profile: board, series: request.series, config: changes },
        changedModules,
        request.load ?? { kind: 'coldplug' },
      )
    } catch (error) {
      if (!(error instanceof BootInputError)) throw error
      refused = { boot: 'B', message: error.message }
      break
    }
    boards.push({
      board,
      outcome: { before: before.kernel.outcome.kind, after: after.kernel.outcome.kind },
      diff: diffBoots(before.kernel, after.kernel),
      unload: tryUnload(after, changedModules),
    })
  }
  const memory = whatIfMemory(kernel, symbols, builtin, build)
  const reachesInit = boards.every((board) => board.diff.initNs.after !== null)
  return {
    kernel: kernel.id,
    series: request.series ?? [],
    verdicts,
    boards,
    ...(refused ? { refused: refused.message, refusedBoot: refused.boot } : {}),
    ...(baseline ? { baseline } : {}),
    memory,
    ok: verdicts.every((verdict) => verdict.builds) && !refused && reachesInit,
  }
}

export const secondsOf = (ns: number | null) => (ns === null ? null : ns / NSEC_PER_SEC)
