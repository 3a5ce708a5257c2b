import { ERRNO } from '../kernel/errno'
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
  return undefined
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
