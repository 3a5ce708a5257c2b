import { writeKo } from '../catalog/ko-writer'
import { KERNFS_PATHS, kernelFile } from '../kernel/kernfs/kernel-files'
import { dir, file, type FileNode } from '../kernel/kernfs/pseudo-file'
import type { System } from './system'

export type { FileNode }

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

/** A directory above other files: the plain files created under it and the mounted paths. */
function parentNode(system: System, path: string): FileNode | undefined {
  const children = new Set<string>()
  const prefix = path === '/' ? '/' : `${path}/`
  const under = (name: string) => {
    if (name.startsWith(prefix)) children.add(name.slice(prefix.length).split('/')[0] as string)
  }
  for (const name of plainFiles.get(system)?.keys() ?? []) under(name)
  for (const name of ['/lib/modules', ...KERNFS_PATHS])
    if (name.startsWith(prefix) && resolveFile(system, name)) under(name)
  return children.size > 0 ? dir(() => [...children].sort()) : undefined
}

/** The virtual files the shell can read, list and write: procfs, sysfs, debugfs and /lib/modules. */
export function resolveFile(system: System, path: string): FileNode | undefined {
  const modulesDir = system.modulesDir
  const fromKernel = kernelFile(system.kernel, path)
  if (fromKernel) return fromKernel
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
  const bytes = plainFiles.get(system)?.get(path)
  if (bytes) return file(() => latin1(bytes))
  return parentNode(system, path)
}
