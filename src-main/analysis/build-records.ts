import {
  isCoreInit,
  loadRealBuild,
  neededSymbols,
  realBuildOf,
  runningBuild,
  type RealBuildDriver,
} from '../catalog/real-build'
import type { BuildRecords } from './verdict'
import type { NeededSymbols } from './verdict-symbols'
import type { SectionSizes } from './whatif-types'

/** The module of a real build a what-if asks about: by name, else the driver's only one. */
function moduleOf(driver: RealBuildDriver, module: string) {
  const build = runningBuild(driver)
  const entry =
    driver.modules.find((candidate) => candidate.name === module) ??
    (driver.modules.length === 1 ? driver.modules[0] : undefined)
  const ko = entry ? build.modules[entry.name] : undefined
  return entry && ko ? { name: entry.name, sources: entry.sources, ko, build } : undefined
}

const base = (path: string) => (path.split('/').pop() ?? path).replace(/\.[a-z]+$/, '')

/**
 * Kbuild names a one-object module after its object (`clk-gs101.o` makes `clk-gs101.ko`, module
 * `clk_gs101`, scripts/Makefile.lib's modname); a composite one after its `x-y :=` target.
 */
const objectName = (module: string, sources: readonly string[]) =>
  sources.length === 1 && sources[0] ? base(sources[0]) : module

/**
 * Whether a modpost line of a build of several modules speaks of this one: it names one of its
 * objects or its `.ko` (`$M/clk-gs101.o`, `[$M/clk-gs101.ko]`); a line naming no file (modpost's
 * "suppressed N unresolved symbol warnings") is about the whole build.
 */
function concerns(line: string, module: string, sources: readonly string[]): boolean {
  const files = [...line.matchAll(/\$M\/([\w.-]+)\.(?:o|ko)\b/g)].map((match) => match[1] ?? '')
  if (files.length === 0) return true
  const mine = new Set([module, ...sources.map(base)].map((name) => name.replace(/-/g, '_')))
  return files.some((file) => mine.has(file.replace(/-/g, '_')))
}

const sizesOf = (sections: Record<string, number>, source: string): SectionSizes => {
  const size = (name: string) => sections[name] ?? 0
  return {
    text: size('.text'),
    rodata: size('.rodata'),
    roAfterInit: size('.data..ro_after_init'),
    data: size('.data'),
    bss: size('.bss'),
    initText: size('.init.text'),
    initData: size('.init.data'),
    source,
  }
}

/**
 * What scripts/real-build recorded for the kernel's version (resources/real-build/<version>.json):
 * the undefined symbols of a driver built as a module, with its `*_OF_DECLARE` init code kept
 * when it has some (a plain module build drops that code, and with it what it needs), and the
 * section sizes of that `.ko`.
 */
export function realBuildRecords(resources: string, kernelVersion: string): BuildRecords {
  const provenance = () => loadRealBuild(resources, kernelVersion)?.provenance
  return {
    modules(symbol) {
      return realBuildOf(resources, kernelVersion, symbol)?.modules.map((m) => m.name) ?? []
    },
    neededBy(symbol) {
      const driver = realBuildOf(resources, kernelVersion, symbol)
      if (!driver) return []
      const sources = new Set(driver.modules.flatMap((module) => module.sources))
      const definedHere = (at: string | undefined) => sources.has((at ?? '').replace(/:\d+$/, ''))
      return (loadRealBuild(resources, kernelVersion)?.drivers ?? [])
        .filter((other) => other !== driver)
        .filter((other) => other.symbols.some((s) => !s.export && definedHere(s.definition?.at)))
        .map((other) => `CONFIG_${other.kconfig}`)
    },
    entry(symbol, module) {
      const driver = realBuildOf(resources, kernelVersion, symbol)
      const found = driver && moduleOf(driver, module)
      return found ? { hasInit: found.ko.hasInit, hasExit: found.ko.hasExit } : undefined
    },
    needed(symbol, module): NeededSymbols | undefined {
      const driver = realBuildOf(resources, kernelVersion, symbol)
      const found = driver && moduleOf(driver, module)
      if (!driver || !found) return undefined
      const symbols = neededSymbols(driver, found.build, found.name)
      const kept = found.build === driver.builds.keep ? ', its *_OF_DECLARE init code kept' : ''
      const dir = driver.makefile.replace(/\/Makefile$/, '')
      const mine = (line: string) => concerns(line, found.name, found.sources)
      // The sources as they are: a built-in driver often has no MODULE_LICENSE, which modpost
      // refuses in a module (the edited builds add one to get further).
      const unlicensed = driver.asIs.modpost.filter(
        (line) => line.includes('missing MODULE_LICENSE') && mine(line),
      )
      return {
        module: found.name,
        object: `${dir}/${objectName(found.name, found.sources)}`,
        license: 'GPL',
        importNamespaces: [],
        symbols: symbols.map((entry) => entry.symbol),
        modpost: [...unlicensed, ...found.build.modpost.filter(mine)].map((line) =>
          line.replace(/\$M\//g, `${dir}/`),
        ),
        source: `a real ${kernelVersion} build of it as a module${kept} (${provenance()?.toolchain.gcc ?? 'gcc'}; resources/real-build)`,
        coreInit: Object.fromEntries(
          symbols
            .filter(isCoreInit)
            .map((entry) => [
              entry.symbol,
              entry.vmlinux
                ? `System.map: ${entry.vmlinux.section}`
                : (entry.definition?.at ?? 'the source'),
            ]),
        ),
      }
    },
    sizes(symbol): SectionSizes | undefined {
      const driver = realBuildOf(resources, kernelVersion, symbol)
      if (!driver) return undefined
      const build = runningBuild(driver)
      const parts = driver.modules.flatMap(({ name }) => {
        const ko = build.modules[name]
        return ko ? [sizesOf(ko.sections, `${name}.ko`)] : []
      })
      if (parts.length === 0 || parts.length !== driver.modules.length) return undefined
      const source = `of a real ${kernelVersion} module build (size -A; resources/real-build)`
      if (parts.length === 1)
        return { ...(parts[0] as SectionSizes), source: `${parts[0]?.source} ${source}` }
      // Several .ko files: their sum, each rounded to pages on its own when loaded.
      const total = parts.reduce(
        (sum, part) => {
          for (const key of SIZE_KEYS) sum[key] += part[key]
          return sum
        },
        sizesOf({}, ''),
      )
      return { ...total, parts, source: `${parts.map((p) => p.source).join(', ')} ${source}` }
    },
  }
}

const SIZE_KEYS = ['text', 'rodata', 'roAfterInit', 'data', 'bss', 'initText', 'initData'] as const
