import { ERRNO } from '../linux/errno'
import type { Device } from '../kernel/driver-core'
import { moduleFlags, type LoadedModule } from '../kernel/module/loader'
import { taintMask } from '../kernel/module/taint'
import { writeKo } from '../catalog/ko-writer'
import { sysfsHolders } from './kmod-tools'
import type { System } from './system'

const STATE_NAMES: Record<LoadedModule['state'], string> = {
  live: 'Live',
  coming: 'Loading',
  going: 'Unloading',
  unformed: 'Unformed',
}

/** /proc/modules (kernel/module/procfs.c m_show); addresses as an unprivileged reader sees them. */
export function procModules(system: System): string {
  const loader = system.loader
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

function latin1(bytes: Uint8Array): string {
  let text = ''
  for (const byte of bytes) text += String.fromCharCode(byte)
  return text
}

/**
 * The root filesystem's plain files, per running system: what a session or a test puts there
 * (a `.ko` under /lab, a bad file to insmod). `cat` shows them, `ls` lists their directories,
 * `insmod` loads them as kmod would (see `insmod` in kmod-tools.ts).
 */
const plainFiles = new WeakMap<System, Map<string, Uint8Array>>()

/** Creates (or replaces) a plain file at an absolute path, with its bytes. */
export function createFile(system: System, path: string, bytes: Uint8Array): void {
  let files = plainFiles.get(system)
  if (!files) plainFiles.set(system, (files = new Map()))
  files.set(path, bytes)
}

/** A plain file's bytes, if one was created at that path. */
export function plainFile(system: System, path: string): Uint8Array | undefined {
  return plainFiles.get(system)?.get(path)
}

function plainNode(system: System, path: string): FileNode | undefined {
  const files = plainFiles.get(system)
  if (!files) return undefined
  const bytes = files.get(path)
  if (bytes) return file(() => latin1(bytes))
  const children = new Set<string>()
  const prefix = path === '/' ? '/' : `${path}/`
  for (const name of files.keys()) {
    if (name.startsWith(prefix)) children.add(name.slice(prefix.length).split('/')[0] as string)
  }
  return children.size > 0 ? dir(() => [...children].sort()) : undefined
}

export type FileNode =
  | { kind: 'file'; read: () => string; write?: (value: string) => number }
  | { kind: 'dir'; list: () => string[] }

function file(read: () => string, write?: (value: string) => number): FileNode {
  return { kind: 'file', read, write }
}

function dir(list: () => string[]): FileNode {
  return { kind: 'dir', list }
}

/** The virtual files the shell can read, list and write: procfs, sysfs, debugfs and /lib/modules. */
export function resolveFile(system: System, path: string): FileNode | undefined {
  const kernel = system.kernel
  const loader = system.loader
  const modulesDir = system.modulesDir
  if (path === '/proc/modules') return file(() => procModules(system))
  if (path === '/proc/cmdline') return file(() => `${kernel.cmdline.raw}\n`)
  if (path === '/proc/sys/kernel/tainted') return file(() => `${taintMask(kernel.taints)}\n`)
  if (path === '/sys/kernel/debug/devices_deferred')
    return file(() => kernel.core.devicesDeferred())
  if (path === '/sys/module/kernel/parameters/initcall_debug') return initcallDebugFile(system)
  if (path === '/sys/module')
    return dir(() => (loader?.list ?? []).map((module) => module.name).sort())
  const moduleMatch =
    /^\/sys\/module\/(\w+)(?:\/(refcnt|initstate|holders|taint|coresize|initsize))?$/.exec(path)
  if (moduleMatch) {
    const module = loader?.find(moduleMatch[1] as string)
    if (!module || !loader) return undefined
    switch (moduleMatch[2]) {
      case undefined:
        return dir(() => ['coresize', 'holders', 'initsize', 'initstate', 'refcnt', 'taint'])
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
    }
  }
  const busMatch = /^\/sys\/bus\/(platform|amba)\/drivers(?:\/([^/]+)(?:\/(bind|unbind))?)?$/.exec(
    path,
  )
  if (busMatch) return driverFile(system, busMatch[1] as Device['bus'], busMatch[2], busMatch[3])
  if (path === '/lib/modules') return dir(() => [system.release])
  if (path === modulesDir)
    return dir(() => ['kernel', ...Object.keys(system.depmodFiles ?? {}).sort()])
  if (path.startsWith(`${modulesDir}/modules.`)) {
    const name = path.slice(modulesDir.length + 1)
    const content = system.depmodFiles?.[name]
    return content === undefined ? undefined : file(() => content)
  }
  if (path.startsWith(`${modulesDir}/kernel`)) {
    const relative = path.slice(modulesDir.length + 1)
    const exact = system.moduleFiles.find((module) => module.def.path === relative)
    // cat of a .ko prints the binary ELF, as on a real system (written with the same .modinfo).
    if (exact) return file(() => latin1(writeKo(exact.def, exact.info)))
    const children = new Set<string>()
    for (const module of system.moduleFiles) {
      if (module.def.path.startsWith(`${relative}/`))
        children.add(module.def.path.slice(relative.length + 1).split('/')[0] as string)
    }
    return children.size > 0 ? dir(() => [...children].sort()) : undefined
  }
  return plainNode(system, path)
}

const initcallDebugWritten = new WeakMap<System, boolean>()

/**
 * core_param(initcall_debug, ..., bool, 0644) (init/main.c): readable and writable at run time,
 * but the probes that print `calling`/`initcall ... returned` are registered only at boot
 * (initcall_debug_enable() when the command line set it), so a later write changes what reads
 * back and nothing else: module inits stay silent.
 */
function initcallDebugFile(system: System): FileNode {
  return file(
    () => `${(initcallDebugWritten.get(system) ?? system.kernel.initcallDebug) ? 'Y' : 'N'}\n`,
    (value) => {
      // param_set_bool(): kstrtobool() on the first character.
      const first = value.trim()[0]?.toLowerCase()
      if (first === undefined || !'yt1nf0o'.includes(first)) return -ERRNO.EINVAL
      initcallDebugWritten.set(system, 'yt1'.includes(first) || /^on/i.test(value.trim()))
      return 0
    },
  )
}

function driverFile(
  system: System,
  bus: Device['bus'],
  driverName: string | undefined,
  attribute: string | undefined,
): FileNode | undefined {
  const core = system.kernel.core
  const registered = core.drivers.filter((driver) => driver.def.bus === bus)
  if (!driverName) return dir(() => registered.map((driver) => driver.def.name).sort())
  const driver = registered.find((candidate) => candidate.def.name === driverName)
  if (!driver) return undefined
  const findDevice = (value: string): Device | undefined =>
    core.devices.find((device) => device.bus === bus && device.name === value.trim())
  if (attribute === 'bind')
    return file(
      () => '',
      (value) => {
        const device = findDevice(value)
        return device ? core.bind(driver.def, device) : -ERRNO.ENODEV
      },
    )
  if (attribute === 'unbind')
    return file(
      () => '',
      (value) => {
        const device = findDevice(value)
        if (!device || device.driver !== driver) return -ERRNO.ENODEV
        core.releaseDriver(device)
        return 0
      },
    )
  return dir(() => {
    const bound = core.devices
      .filter((device) => device.driver === driver)
      .map((device) => device.name)
    const module = system.loader?.list.some((loaded) => loaded.drivers.includes(driver.def))
    return [...bound, 'bind', ...(module ? ['module'] : []), 'uevent', 'unbind'].sort()
  })
}
