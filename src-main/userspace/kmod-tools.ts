import { ERRNO, strerror } from '../linux/errno'
import { sysfsHolders } from '../kernel/module/sysfs'
import type { ModuleFile } from './depmod'
import type { ModuleDefinition } from '../catalog/module-schema'
import { plainFile } from './files'
import { lookup, removeFailed } from './modprobe'
import { fail, ok, type System, type ToolResult } from './system'

/** kmod insmod's mod_strerror(). */
function insmodStrerror(errno: number): string {
  switch (errno) {
    case ERRNO.ENOEXEC:
      return 'Invalid module format'
    case ERRNO.ENOENT:
      return 'Unknown symbol in module'
    case ERRNO.ESRCH:
      return 'Module has wrong symbol version'
    case ERRNO.EINVAL:
      return 'Invalid parameters'
    default:
      return strerror(errno)
  }
}

/** The kernel profile's module of a name (in the tree or not): what a plain `.ko` of it does. */
function moduleDefinition(system: System, name: string): ModuleDefinition | undefined {
  return (
    system.fileByName(name)?.def ??
    system.kernel.inputs.profile.modules.find((def) => def.name === name)
  )
}

export function resolvePath(path: string, cwd = '/'): string {
  const parts = (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')
  const out: string[] = []
  for (const part of parts) {
    if (part === '' || part === '.') continue
    if (part === '..') out.pop()
    else out.push(part)
  }
  return `/${out.join('/')}`
}

const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]

/**
 * kmod_file_open() (libkmod-file.c): a file starting with the xz magic is decompressed in
 * userspace (kmod 30 then calls init_module with the result). A stream cut short (no stream
 * footer ending in `YZ`) makes lzma_code() fail and load_xz() return -EINVAL, before any syscall.
 * modlab has no LZMA decoder: a whole plain `.xz` file fails the same way.
 */
function kmodFileOpen(bytes: Uint8Array): Uint8Array | number {
  if (!XZ_MAGIC.every((byte, i) => bytes[i] === byte)) return bytes
  return -ERRNO.EINVAL
}

/**
 * insmod FILE [params]: exactly that file, no dependencies. A module of the tree goes in as its
 * definition; a plain file (files.ts createFile) goes in as its bytes, through kmod's
 * decompression and the kernel's checks of the image.
 */
export function insmod(system: System, path: string, params: string, cwd: string): ToolResult {
  const absolute = resolvePath(path, cwd)
  const file = system.fileByPath(absolute)
  const plain = file ? undefined : plainFile(system, absolute)
  if (!file && !plain)
    return fail(`insmod: ERROR: could not load module ${path}: No such file or directory\n`)
  if (!system.loader)
    return fail(`insmod: ERROR: could not insert module ${path}: ${strerror(ERRNO.ENOSYS)}\n`)
  const loader = system.loader
  const image = plain ? kmodFileOpen(plain) : undefined
  const ret =
    typeof image === 'number'
      ? image
      : image
        ? loader.loadImage(image, params, (name) => moduleDefinition(system, name), {
            pid: system.pid(),
          })
        : loader.load((file as ModuleFile).def, params, { pid: system.pid() })
  if (ret < 0)
    return fail(`insmod: ERROR: could not insert module ${path}: ${insmodStrerror(-ret)}\n`)
  return ok()
}

/** rmmod [-f] NAME...: kmod's in-use checks (skipped with -f), then delete_module. */
export function rmmod(system: System, names: string[], force: boolean): ToolResult {
  if (names.length === 0) return fail('rmmod: ERROR: missing module name.\n')
  let stderr = ''
  let failures = 0
  for (const arg of names) {
    const name = arg.replace(/^.*\//, '').replace(/\.ko$/, '').replaceAll('-', '_')
    const loader = system.loader
    const module = loader?.find(name)
    if (!force) {
      if (system.builtinByName(name)) {
        stderr += `rmmod: ERROR: Module ${name} is builtin.\n`
        failures++
        continue
      }
      if (!module || !loader) {
        stderr += `rmmod: ERROR: Module ${name} is not currently loaded\n`
        failures++
        continue
      }
      const holders = sysfsHolders(module)
      if (holders.length > 0) {
        stderr += `rmmod: ERROR: Module ${name} is in use by:${holders.map((h) => ` ${h}`).join('')}\n`
        failures++
        continue
      }
      if (loader.refcount(module) !== 0) {
        stderr += `rmmod: ERROR: Module ${name} is in use\n`
        failures++
        continue
      }
    }
    const ret = loader ? loader.unload(name, force) : -ERRNO.ENOENT
    if (ret < 0) {
      // rmmod.c do_rmmod(): libkmod's own error line, then rmmod's.
      stderr += removeFailed('rmmod', name, -ret)
      stderr += `rmmod: ERROR: could not remove module ${arg}: ${strerror(ret)}\n`
      failures++
    }
  }
  return { stdout: '', stderr, exitCode: failures > 0 ? 1 : 0 }
}

/** lsmod: `/proc/modules` order, `%-19s %8ld  %d` and the sysfs holders. */
export function lsmod(system: System): ToolResult {
  let out = 'Module                  Size  Used by\n'
  const loader = system.loader
  for (const module of loader?.list ?? []) {
    if (module.state === 'unformed') continue
    const size = module.coreSize + module.initSize
    const holders = sysfsHolders(module)
    out += `${module.name.padEnd(19)} ${String(size).padStart(8)}  ${loader?.refcount(module) ?? 0}`
    if (holders.length > 0) out += ` ${holders.join(',')}`
    out += '\n'
  }
  return ok(out)
}

/** modinfo [-F field] NAME|FILE: `filename:` then the .modinfo entries, parameters last. */
export function modinfo(
  system: System,
  target: string,
  field: string | undefined,
  cwd: string,
): ToolResult {
  const files: ModuleFile[] = []
  let builtin: ModuleFile | undefined
  const byPath = target.includes('/') || target.endsWith('.ko')
  if (byPath) {
    const file = system.fileByPath(resolvePath(target, cwd))
    if (!file) return fail(`modinfo: ERROR: Module ${target} not found.\n`)
    files.push(file)
  } else {
    const found = lookup(system, target)
    if (found.kind === 'modules') files.push(...found.files)
    else if (found.kind === 'builtin') builtin = system.builtinByName(found.name)
    else return fail(`modinfo: ERROR: Module ${target} not found.\n`)
  }
  let out = ''
  for (const file of builtin ? [builtin] : files) {
    out += modinfoText(system, file, field, builtin !== undefined)
  }
  return ok(out)
}

function modinfoText(
  system: System,
  file: ModuleFile,
  field: string | undefined,
  builtin: boolean,
): string {
  const entries = builtin
    ? file.info.filter(([key]) => !['depends', 'intree', 'vermagic'].includes(key))
    : file.info
  const filename = builtin ? '(builtin)' : system.absolutePath(file)
  const signature = builtin || !file.def.signed ? [] : signatureEntries(system, file.def.signature)
  // modinfo.c modinfo_do(): built-in code has no file, so its name comes first (`name:`, or the
  // value alone for -F name), then `filename: (builtin)`.
  const name = builtin
    ? field === undefined
      ? `${'name:'.padEnd(16)}${file.def.name}\n`
      : field === 'name'
        ? `${file.def.name}\n`
        : ''
    : ''
  if (field) {
    if (field === 'filename') return `${name}${filename}\n`
    return (
      name +
      [...entries, ...signature]
        .filter(([key]) => key === field)
        .map(([, value]) => `${value}\n`)
        .join('')
    )
  }
  const line = (key: string, value: string): string =>
    `${key}:${' '.repeat(Math.max(0, 15 - key.length))}${value}\n`
  let out = `${name}${'filename:'.padEnd(16)}${filename}\n`
  const params = new Map<string, { description?: string; type?: string }>()
  for (const [key, value] of [...entries, ...signature]) {
    if (key === 'parm' || key === 'parmtype') {
      const [name = '', rest = ''] = value.split(/:(.*)/s)
      const param = params.get(name) ?? {}
      if (key === 'parm') param.description = rest
      else param.type = rest
      params.set(name, param)
      continue
    }
    out += line(key, value)
  }
  // tools/modinfo.c add_param() pushes each new parameter on the front of its list.
  for (const [name, param] of [...params].reverse()) {
    // modinfo_params_do(): `name:desc (type)`, `name:desc`, or `name:type` without a description.
    const text =
      param.description === undefined
        ? `${name}:${param.type ?? ''}`
        : `${name}:${param.description}${param.type !== undefined ? ` (${param.type})` : ''}`
    out += `${'parm:'.padEnd(16)}${text}\n`
  }
  return out
}

/** The appended signature's description, as modinfo shows it (the signature bytes are not simulated). */
function signatureEntries(system: System, signature: string | undefined): [string, string][] {
  const key = system.kernel.inputs.profile.modulePolicy?.signingKey
  if (!key) return []
  const entries: [string, string][] = [
    ['sig_id', 'PKCS#7'],
    ['signer', key.signer],
    ['sig_key', key.keyId],
    ['sig_hashalgo', key.hashAlgo],
  ]
  // libkmod's kmod_module_info_append_hex(): 20 bytes a line, continued after a colon and two tabs.
  if (signature) {
    const bytes = signature.match(/../g) ?? []
    const lines = []
    for (let i = 0; i < bytes.length; i += 20) lines.push(bytes.slice(i, i + 20).join(':'))
    entries.push(['signature', lines.join(':\n\t\t')])
  }
  return entries
}

/** depmod [-a] [-n]: regenerates the index files, or prints them with -n. */
export function depmodCommand(system: System, show: boolean): ToolResult {
  const output = system.runDepmod()
  const stderr = output.warnings.join('')
  if (output.warnings.length > 0) return fail(stderr)
  if (!show) return ok()
  const names = [
    'modules.dep',
    'modules.alias',
    'modules.softdep',
    'modules.symbols',
    'modules.devname',
  ]
  return ok(names.map((name) => output.files[name] ?? '').join(''))
}
