import { dir, file, type FileNode } from '../kernfs/pseudo-file'
import type { LoadedModule, ModuleLoader } from './loader'
import { moduleFlags } from './taint'

const STATE_NAMES: Record<LoadedModule['state'], string> = {
  live: 'Live',
  coming: 'Loading',
  going: 'Unloading',
  unformed: 'Unformed',
}

/** /proc/modules (kernel/module/procfs.c m_show); addresses as an unprivileged reader sees them. */
export function procModules(loader: ModuleLoader | undefined): string {
  if (!loader) return ''
  let out = ''
  for (const module of loader.list) {
    if (module.state === 'unformed') continue
    let users = [...module.users]
      .reverse()
      .map((user) => `${user.name},`)
      .join('')
    if (module.def.hasInit && !module.def.hasExit) users += '[permanent],'
    const flags = moduleFlags(module)
    out += `${module.name} ${module.coreSize + module.initSize} ${loader.refcount(module)} ${users || '-'}`
    out += ` ${STATE_NAMES[module.state]} 0x0000000000000000${flags && module.taints.size > 0 ? ` ${flags}` : ''}\n`
  }
  return out
}

/**
 * /sys/module/<m>/holders/ as readdir lists it: kernfs keeps a directory's entries sorted by
 * kernfs_name_hash() and then name, so `lsmod` shows holders in that order.
 */
export function sysfsHolders(module: LoadedModule): string[] {
  return module.users
    .map((user) => user.name)
    .sort((a, b) => kernfsNameHash(a) - kernfsNameHash(b) || (a < b ? -1 : a > b ? 1 : 0))
}

const GOLDEN_RATIO_64 = 0x61c8864680b583ebn
const MASK_64 = (1n << 64n) - 1n

/** kernfs_name_hash() for a 64-bit kernel without namespaces: partial_name_hash, then hash_long(…, 32). */
export function kernfsNameHash(name: string): number {
  let hash = 0n
  for (const byte of new TextEncoder().encode(name)) {
    const c = BigInt(byte)
    hash = ((hash + (c << 4n) + (c >> 4n)) * 11n) & MASK_64
  }
  let result = Number(((hash * GOLDEN_RATIO_64) & MASK_64) >> 32n) & 0x7fffffff
  if (result < 2) result += 2
  if (result >= 0x7fffffff) result = 0x7fffffff - 1
  return result
}

const MODULE_ATTRIBUTES = ['coresize', 'holders', 'initsize', 'initstate', 'refcnt', 'taint']

/** /sys/module/<m> and its attributes (kernel/module/sysfs.c, main.c). */
export function sysModuleFile(
  loader: ModuleLoader | undefined,
  name: string,
  attribute: string | undefined,
): FileNode | undefined {
  const module = loader?.find(name)
  if (!module || !loader) return undefined
  switch (attribute) {
    case undefined:
      return dir(() => MODULE_ATTRIBUTES)
    case 'refcnt':
      return file(() => `${loader.refcount(module)}\n`)
    case 'initstate':
      return file(() => `${module.state === 'unformed' ? 'live' : module.state}\n`)
    case 'holders':
      return dir(() => sysfsHolders(module))
    case 'taint':
      return file(() => `${moduleFlags(module).replace(/[()+-]/g, '')}\n`)
    case 'coresize':
      return file(() => `${module.coreSize}\n`)
    case 'initsize':
      return file(() => `${module.initSize}\n`)
    default:
      return undefined
  }
}
