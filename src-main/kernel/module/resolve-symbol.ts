import { ERRNO } from '../../linux/errno'
import type { LoadedModule, LoadFlags, ModuleLoader } from './loader'
import { checkVersion } from './version'

/** simplify_symbols() (kernel/module/main.c:1426): every undefined symbol resolved, every failure reported; the last error returned. */
export function simplifySymbols(
  loader: ModuleLoader,
  module: LoadedModule,
  flags: LoadFlags,
): number {
  let ret = 0
  for (const entry of module.def.imports) {
    const wanted = typeof entry === 'string' ? { name: entry, weak: false } : entry
    const result = resolveSymbol(loader, module, wanted.name, wanted.crc, flags)
    if (result === 0) continue
    if (result === -ERRNO.ENOENT && wanted.weak) continue
    loader.kernel.printk('warning', `${module.name}: Unknown symbol ${wanted.name} (err ${result})`)
    ret = result
  }
  return ret
}

/** resolve_symbol() (kernel/module/main.c:1145): 0, or why the symbol cannot be used. */
function resolveSymbol(
  loader: ModuleLoader,
  module: LoadedModule,
  name: string,
  crc: string | undefined,
  flags: LoadFlags,
): number {
  const gplok = !module.taints.has('P')
  const symbol = loader.symbols.find(name, gplok)
  if (!symbol || symbol.owner === module) return -ERRNO.ENOENT
  if (symbol.owner && symbol.owner.state === 'unformed') return -ERRNO.ENOENT
  const version = checkVersion(loader, module, name, symbol.crc, crc, flags)
  if (version !== 0) return version
  if (symbol.namespace && !module.def.importNamespaces.includes(symbol.namespace)) {
    loader.kernel.printk(
      'err',
      `${module.name}: module uses symbol (${name}) from namespace ${symbol.namespace}, but does not import it.`,
    )
    return -ERRNO.EINVAL
  }
  if (symbol.gpl) module.usingGplOnlySymbols = true
  const owner = symbol.owner
  if (!owner) return 0
  if (owner.taints.has('P') && !inheritTaint(loader, module, owner, name)) return -ERRNO.EINVAL
  return refModule(module, owner)
}

/** inherit_taint() (kernel/module/main.c:1125): symbols of a proprietary module taint their user, or refuse a GPL-only user. */
function inheritTaint(
  loader: ModuleLoader,
  module: LoadedModule,
  owner: LoadedModule,
  name: string,
): boolean {
  if (module.usingGplOnlySymbols) {
    loader.kernel.printk(
      'err',
      `${module.name}: module using GPL-only symbols uses symbols ${name} from proprietary module ${owner.name}.`,
    )
    return false
  }
  if (!module.taints.has('P')) {
    loader.kernel.printk(
      'warning',
      `${module.name}: module uses symbols ${name} from proprietary module ${owner.name}, inheriting taint.`,
    )
    loader.taint(module, 'P')
  }
  return true
}

/** ref_module() (kernel/module/main.c:898): the first symbol taken from a module links the two and takes a reference. */
function refModule(module: LoadedModule, owner: LoadedModule): number {
  if (module.uses.includes(owner)) return 0
  if (owner.state === 'coming') return -ERRNO.EBUSY
  if (owner.state !== 'live') return -ERRNO.ENOENT
  owner.refcnt += 1
  owner.users.push(module)
  module.uses.push(owner)
  return 0
}
