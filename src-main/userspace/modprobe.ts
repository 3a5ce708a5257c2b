import { ERRNO, strerror } from '../linux/errno'
import type { ModuleFile } from './depmod'
import { normalizeAlias } from './alias-index'
import { fnmatch } from './fnmatch'
import { fail, ok, type System, type ToolResult } from './system'

/** What kmod_module_new_from_lookup() found for a name: module files, or built-in code. */
export type Lookup =
  { kind: 'modules'; files: ModuleFile[] } | { kind: 'builtin'; name: string } | { kind: 'none' }

export { normalizeAlias }

/** kmod_module_new_from_lookup(): modules.dep by name, symbol:, modules.alias, built-in aliases, modules.builtin. */
export function lookup(system: System, alias: string): Lookup {
  const files = system.depmodFiles
  if (!files) return { kind: 'none' }
  const key = normalizeAlias(alias)
  const byName = system.fileByName(key)
  if (byName) return { kind: 'modules', files: [byName] }
  if (key.startsWith('symbol:')) {
    const owner = lineValue(files['modules.symbols'] ?? '', `alias ${key} `)
    const file = owner ? system.fileByName(owner) : undefined
    if (file) return { kind: 'modules', files: [file] }
  }
  const matched: ModuleFile[] = []
  for (const name of system.aliasIndex().match(key)) {
    const file = system.fileByName(name)
    if (file && !matched.includes(file)) matched.push(file)
  }
  if (matched.length > 0) return { kind: 'modules', files: matched }
  for (const builtin of system.builtinFiles) {
    const aliases = builtin.info.filter(([k]) => k === 'alias').map(([, value]) => value)
    if (aliases.some((pattern) => fnmatch(normalizeAlias(pattern), key)))
      return { kind: 'builtin', name: builtin.def.name }
  }
  if (system.builtinByName(key)) return { kind: 'builtin', name: key }
  return { kind: 'none' }
}

function lineValue(text: string, prefix: string): string | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(prefix))
  return line?.slice(prefix.length)
}

interface Softdeps {
  pre: string[]
  post: string[]
}

function softdeps(system: System, name: string): Softdeps {
  const result: Softdeps = { pre: [], post: [] }
  const line = system.softdepLine(name)
  if (!line) return result
  let into: string[] | undefined
  for (const word of line.split(/\s+/).filter(Boolean)) {
    if (word === 'pre:') into = result.pre
    else if (word === 'post:') into = result.post
    else into?.push(word)
  }
  return result
}

/**
 * kmod's probe list (__kmod_module_get_probe_list): a module's modules.dep entries from the last
 * (needed first) to the first, each with its softdeps around it, then the module itself. A pre-softdep
 * already in the list as a dependency shows again, as kmod lists it.
 */
export function probeList(system: System, file: ModuleFile): ModuleFile[] {
  const list: ModuleFile[] = []
  const visited = new Set<ModuleFile>()
  const fillSoftdep = (module: ModuleFile): void => {
    const { pre, post } = softdeps(system, module.def.name)
    for (const name of pre) visitSoft(name)
    list.push(module)
    for (const name of post) visitSoft(name)
  }
  const visitSoft = (name: string): void => {
    const found = lookup(system, name)
    if (found.kind === 'modules') for (const soft of found.files) getProbeList(soft)
    // A softdep on built-in code stays in the list, as kmod shows it: `builtin md5`.
    const builtin = found.kind === 'builtin' ? system.builtinByName(found.name) : undefined
    if (builtin && !visited.has(builtin)) {
      visited.add(builtin)
      list.push(builtin)
    }
  }
  const getProbeList = (module: ModuleFile): void => {
    if (visited.has(module)) return
    visited.add(module)
    const deps = [...(system.dependencies(module.def.name) ?? [])].reverse()
    for (const path of deps) {
      const dep = system.fileByPath(path)
      if (dep) fillSoftdep(dep)
    }
    fillSoftdep(module)
  }
  getProbeList(file)
  return list
}

export interface ModprobeOptions {
  remove: boolean
  showDepends: boolean
  dryRun: boolean
  firstTime: boolean
  force: boolean
  quiet: boolean
  /** -v: print each insmod/rmmod as kmod's print_action() does. */
  verbose?: boolean
}

/**
 * libkmod's ERR() in kmod_module_remove_module() when delete_module() fails: Debian's kmod 30
 * logs with the source position (`../libkmod/libkmod-module.c:856`), after the tool's prefix.
 */
export function removeFailed(tool: string, name: string, errno: number): string {
  return `${tool}: ERROR: ../libkmod/libkmod-module.c:856 kmod_module_remove_module() could not remove '${name}': ${strerror(errno)}\n`
}

/** modprobe [-r] [-n] [--show-depends] [--first-time] [-f] [-q] NAME [params...]. */
export function modprobe(
  system: System,
  name: string,
  params: string,
  options: ModprobeOptions,
): ToolResult {
  const found = lookup(system, name)
  if (found.kind === 'none') {
    // modprobe.c rmmod(): `Module %s not found.`; insmod(): `... not found in directory %s`.
    if (options.quiet) return fail('')
    return options.remove
      ? fail(`modprobe: FATAL: Module ${name} not found.\n`)
      : fail(`modprobe: FATAL: Module ${name} not found in directory ${system.modulesDir}\n`)
  }
  if (found.kind === 'builtin') {
    if (options.remove) return fail(`modprobe: FATAL: Module ${found.name} is builtin.\n`)
    if (options.showDepends) return ok(`builtin ${found.name}\n`)
    // kmod_module_probe_insert_module(): built-in code counts as in the kernel, so
    // KMOD_PROBE_FAIL_ON_LOADED (--first-time) makes it -EEXIST.
    if (options.firstTime)
      return fail(`modprobe: ERROR: could not insert '${found.name}': Module already in kernel\n`)
    return ok()
  }
  let result = ok()
  for (const file of found.files) {
    const step = options.remove
      ? removeOne(system, file, options)
      : insertOne(system, file, params, options)
    result = {
      stdout: result.stdout + step.stdout,
      stderr: result.stderr + step.stderr,
      exitCode: step.exitCode || result.exitCode,
    }
  }
  return result
}

function insertOne(
  system: System,
  file: ModuleFile,
  params: string,
  options: ModprobeOptions,
): ToolResult {
  const loader = system.loader
  const list = probeList(system, file)
  if (options.showDepends) {
    return ok(
      list
        .map((module) =>
          system.isBuiltin(module)
            ? `builtin ${module.def.name}\n`
            : `insmod ${system.absolutePath(module)} ${module === file ? params : ''}\n`,
        )
        .join(''),
    )
  }
  if (!loader)
    return fail(`modprobe: ERROR: could not insert '${file.def.name}': ${strerror(ERRNO.ENOSYS)}\n`)
  let out = ''
  for (const module of list) {
    if (system.isBuiltin(module)) continue
    const existing = loader.find(module.def.name)
    if (existing?.state === 'live') {
      if (module === file && options.firstTime)
        return fail(
          `modprobe: ERROR: could not insert '${file.def.name}': Module already in kernel\n`,
        )
      continue
    }
    if (options.verbose)
      out += `insmod ${system.absolutePath(module)} ${module === file ? params : ''}\n`
    if (options.dryRun) continue
    const ret = loader.load(module.def, module === file ? params : '', {
      ignoreVermagic: options.force,
      ignoreModversions: options.force,
      pid: system.pid(),
    })
    if (ret === 0 || ret === -ERRNO.EEXIST) continue
    const reason =
      ret === -ERRNO.ENOENT
        ? 'Unknown symbol in module, or unknown parameter (see dmesg)'
        : strerror(ret)
    return fail(`modprobe: ERROR: could not insert '${file.def.name}': ${reason}\n`, 1, out)
  }
  return ok(out)
}

/**
 * modprobe -r (kmod 30 modprobe.c rmmod_do_module()): the module if loaded and unused, then its
 * modules.dep dependencies walked from the end of the list, each removed only if nothing uses it
 * at that moment (a dependency still in use is skipped silently, so one freed by a later removal
 * stays loaded). A failed delete_module() is libkmod's error line only.
 */
function removeOne(system: System, file: ModuleFile, options: ModprobeOptions): ToolResult {
  const loader = system.loader
  const name = file.def.name
  const module = loader?.find(name)
  if (!loader || !module) {
    return options.firstTime ? fail(`modprobe: FATAL: Module ${name} is not in kernel.\n`) : ok()
  }
  if (loader.refcount(module) > 0 && !options.force) {
    return fail(options.quiet ? '' : `modprobe: FATAL: Module ${name} is in use.\n`)
  }
  let out = options.verbose ? `rmmod ${name}\n` : ''
  if (options.dryRun) return ok(out)
  const ret = loader.unload(name, options.force)
  if (ret < 0) return fail(removeFailed('modprobe', name, -ret), 1, out)
  for (const path of [...(system.dependencies(name) ?? [])].reverse()) {
    const dep = system.fileByPath(path)
    const loaded = dep ? loader.find(dep.def.name) : undefined
    if (!dep || !loaded || loader.refcount(loaded) !== 0 || loaded.users.length > 0) continue
    if (options.verbose) out += `rmmod ${dep.def.name}\n`
    loader.unload(dep.def.name, false)
  }
  return ok(out)
}
