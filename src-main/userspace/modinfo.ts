import type { DriverDefinition } from '../catalog/driver-schema'
import type { ModuleDefinition } from '../catalog/module-schema'
import { ofTableAliases } from './modalias'

export type InfoEntry = [key: string, value: string]

/** The module name from a path: basename without `.ko`, dashes as underscores (path_to_modname). */
export function moduleNameOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1).replace(/\.ko(\.(gz|xz|zst))?$/, '')
  return base.replaceAll('-', '_')
}

/**
 * The `.modinfo` section as modpost leaves it: the source's tags, the OF table aliases of the
 * module's drivers, then `depends`, `intree`, `name` and `vermagic`.
 */
export function modinfoEntries(
  def: ModuleDefinition,
  drivers: readonly DriverDefinition[],
  depends: readonly string[],
  kernelVermagic: string,
): InfoEntry[] {
  if (def.complete) return def.info
  const entries: InfoEntry[] = [...def.info]
  for (const param of def.params) {
    if (param.description) entries.push(['parm', `${param.name}:${param.description}`])
    entries.push(['parmtype', `${param.name}:${param.type}`])
  }
  for (const driver of drivers) {
    if (driver.module !== def.name) continue
    for (const compatible of driver.compatible) {
      for (const alias of ofTableAliases(compatible)) entries.push(['alias', alias])
    }
  }
  for (const alias of def.tableAliases) entries.push(['alias', alias])
  entries.push(['depends', depends.join(',')])
  if (def.intree) entries.push(['intree', 'Y'])
  entries.push(['name', def.name])
  entries.push(['vermagic', def.vermagic ?? kernelVermagic])
  return entries
}

/** modpost's `depends`: the modules owning the symbols this one imports, in order of first use. */
export function modpostDepends(
  def: ModuleDefinition,
  exporters: ReadonlyMap<string, ModuleDefinition>,
): string[] {
  const depends: string[] = []
  for (const entry of def.imports) {
    const name = typeof entry === 'string' ? entry : entry.name
    const owner = exporters.get(name)
    if (owner && owner !== def && !depends.includes(owner.name)) depends.push(owner.name)
  }
  return depends
}
