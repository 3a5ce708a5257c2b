// Module tools at scale: depmod over 5,000 modules and 50,000 exported symbols, and modprobe's
// resolution (lookup + probe list) through a 20-deep dependency chain.
import { ModuleDefinition } from '../src-main/catalog/module-schema'
import type { KernelProfile } from '../src-main/catalog/kernel-profile-schema'
import { Prng } from '../src-main/kernel/prng'
import { bootWithUserspace } from '../src-main/sessions/boot-runner'
import type { DeviceTree } from '../src-main/hardware/devicetree'
import { lookup, probeList } from '../src-main/userspace/modprobe'
import { machineInputs } from '../src-main/sessions/boot-runner'

const LIBRARIES = 500
const LEAVES = 4500
const CHAIN = 20

function syntheticModules(): ModuleDefinition[] {
  const random = new Prng(7)
  const pick = (n: number) => random.between(0, n - 1)
  const modules: ModuleDefinition[] = []
  const module = (name: string, exports: string[], imports: string[]) =>
    ModuleDefinition.parse({
      name,
      kconfig: `CONFIG_${name.toUpperCase()}`,
      path: `kernel/drivers/bench/${name}.ko`,
      info: [['license', 'GPL']],
      exports: exports.map((symbol) => ({ name: symbol })),
      imports,
      sizes: { text: 4000 },
    })
  for (let lib = 0; lib < LIBRARIES; lib++) {
    const exports = Array.from({ length: 82 }, (_, i) => `lib${lib}_fn${i}`)
    const imports = lib < 10 ? [] : [pick(lib), pick(lib)].map((l) => `lib${l}_fn${pick(82)}`)
    modules.push(module(`lib${lib}`, exports, imports))
  }
  for (let leaf = 0; leaf < LEAVES; leaf++) {
    const imports = Array.from({ length: 5 }, () => `lib${pick(LIBRARIES)}_fn${pick(82)}`)
    modules.push(module(`drv${leaf}`, [`drv${leaf}_a`, `drv${leaf}_b`], imports))
  }
  for (let link = 0; link < CHAIN; link++) {
    const imports = link + 1 < CHAIN ? [`chain${link + 1}_fn`] : []
    modules.push(module(`chain${link}`, [`chain${link}_fn`], imports))
  }
  return modules
}

export function benchModules(
  profile: KernelProfile,
  tree: DeviceTree,
  median: (values: number[]) => number,
  runs: number,
): string[] {
  const modules = syntheticModules()
  const config = { ...profile.config }
  for (const module of modules) config[module.kconfig] = 'm'
  const coldplugOff = { ...profile.modulePolicy!, coldplug: 'none' as const }
  const { shell } = bootWithUserspace(
    machineInputs({ ...profile, config, modules, modulePolicy: coldplugOff }, tree, {
      cmdline: 'console=ttyAMA0',
      seed: 0,
    }),
  )
  const system = shell.system
  const symbols = modules.reduce((total, module) => total + module.exports.length, 0)
  const depmodTimes: number[] = []
  for (let run = 0; run < runs; run++) {
    const start = performance.now()
    system.runDepmod()
    depmodTimes.push(performance.now() - start)
  }
  const resolveTimes: number[] = []
  let loads = 0
  for (let run = 0; run < runs * 20; run++) {
    const start = performance.now()
    const found = lookup(system, 'chain0')
    if (found.kind === 'modules') loads = probeList(system, found.files[0]!).length
    resolveTimes.push(performance.now() - start)
  }
  const depmodMs = median(depmodTimes)
  const resolveMs = median(resolveTimes)
  return [
    `depmod: ${modules.length} modules, ${symbols} symbols: median ${depmodMs.toFixed(1)} ms`,
    `target: depmod over 5,000 modules and 50,000 symbols <= 200 ms: ${depmodMs <= 200 ? 'met' : 'MISSED'} (${depmodMs.toFixed(1)} ms)`,
    `target: modprobe resolution through a ${CHAIN}-deep chain (${loads} loads) <= 1 ms: ${resolveMs <= 1 ? 'met' : 'MISSED'} (${resolveMs.toFixed(3)} ms)`,
  ]
}
