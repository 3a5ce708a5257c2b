import type { ModulesState } from '../contract'
import { moduleLicense } from '../../kernel/module/modinfo'
import { taintString } from '../../kernel/module/taint'
import { sysfsHolders } from '../../kernel/module/sysfs'
import { SHELL_COMMANDS } from '../../userspace/shell'
import type { System } from '../../userspace/system'

/** What the modules panel shows: lsmod's view of the kernel and the tree's available modules. */
export function modulesState(system: System): ModulesState {
  const loader = system.loader
  const loaded = (loader?.list ?? []).filter((module) => module.state !== 'unformed')
  return {
    loaded: loaded.map((module) => ({
      name: module.name,
      size: module.coreSize + module.initSize,
      refcount: loader?.refcount(module) ?? 0,
      usedBy: sysfsHolders(module),
      state: module.state,
      taints: taintString(module.taints),
      permanent: module.def.hasInit && !module.def.hasExit,
    })),
    available: system.moduleFiles.map((file) => ({
      name: file.def.name,
      path: file.def.path,
      description: file.info.find(([key]) => key === 'description')?.[1] ?? '',
      license: moduleLicense(file.def),
      depends: (system.dependencies(file.def.name) ?? []).map(
        (path) => system.fileByPath(path)?.def.name ?? path,
      ),
      loaded: loaded.some((module) => module.name === file.def.name),
    })),
    taints: taintString(system.kernel.taints),
    forceUnload: loader?.policy.forceUnload ?? false,
    commands: [...SHELL_COMMANDS],
  }
}
