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
  const name =
    driver.modules.find((candidate) => candidate.name === module)?.name ??
    (driver.modules.length === 1 ? driver.modules[0]?.name : undefined)
  const ko = name ? build.modules[name] : undefined
  return name && ko ? { name, ko, build } : undefined
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
    needed(symbol, module): NeededSymbols | undefined {
      const driver = realBuildOf(resources, kernelVersion, symbol)
      const found = driver && moduleOf(driver, module)
      if (!driver || !found) return undefined
      const symbols = neededSymbols(driver, found.build, found.name)
      const kept = found.build === driver.builds.keep ? ', its *_OF_DECLARE init code kept' : ''
      const dir = driver.makefile.replace(/\/Makefile$/, '')
      // The sources as they are: a built-in driver often has no MODULE_LICENSE, which modpost
      // refuses in a module (the edited builds add one to get further).
      const unlicensed = driver.asIs.modpost
        .filter((line) => line.includes('missing MODULE_LICENSE'))
        .map((line) => line.replace(/\$M\//g, `${dir}/`))
      return {
        module,
        object: `${dir}/${found.name}`,
        license: 'GPL',
        importNamespaces: [],
        symbols: symbols.map((entry) => entry.symbol),
        modpost: [...unlicensed, ...found.build.modpost],
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
    modules(symbol) {
      const driver = realBuildOf(resources, kernelVersion, symbol)
      if (!driver) return []
      const build = runningBuild(driver)
      return driver.modules.flatMap(({ name }) => {
        const ko = build.modules[name]
        return ko ? [{ name, hasInit: ko.hasInit, hasExit: ko.hasExit }] : []
      })
    },
    sizes(symbol): SectionSizes | undefined {
      const driver = realBuildOf(resources, kernelVersion, symbol)
      const found =
        driver && driver.modules.length === 1 && moduleOf(driver, driver.modules[0]?.name ?? '')
      if (!driver || !found) return undefined
      const size = (name: string) => found.ko.sections[name] ?? 0
      return {
        text: size('.text'),
        rodata: size('.rodata'),
        roAfterInit: size('.data..ro_after_init'),
        data: size('.data'),
        bss: size('.bss'),
        initText: size('.init.text'),
        initData: size('.init.data'),
        source: `${found.name}.ko of a real ${kernelVersion} module build (size -A; resources/real-build)`,
      }
    },
  }
}
