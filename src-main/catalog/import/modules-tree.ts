import { gunzipSync } from 'node:zlib'
import { xz } from '@napi-rs/lzma'
import { decompress as zstd } from 'fzstd'
import type { ModuleInput as ModuleDefinition } from '../module-schema'
import { cStrings, KoFormatError } from './elf'
import { readKo } from './ko-reader'
import type { LayoutRules } from './module-layout'

/** The files of `/lib/modules/<release>/`, from a folder or a package. Paths are relative to it. */
export interface TreeFiles {
  release: string
  list(): string[]
  read(path: string): Uint8Array
}

export interface ExportInfo {
  gpl: boolean
  crc?: string
  namespace?: string
}

export interface TreeProblem {
  file: string
  problem: string
}

export interface ModulesTree {
  release: string
  /** Every `.ko`, in modules.order order, then those modules.order does not list, by path. */
  modules: ModuleDefinition[]
  /** Tristate code built into the image: modules.builtin with modules.builtin.modinfo. */
  builtin: ModuleDefinition[]
  order: string[]
  /** The build's modules.builtin.modinfo, as NUL-terminated `name.key=value` entries. */
  builtinModinfo?: string
  problems: TreeProblem[]
}

export interface TreeOptions {
  /** The Kconfig symbol that builds an object (`kernel/drivers/foo/bar.ko` without `.ko`). */
  kconfigOf(objectPath: string): string
  exportInfo(name: string): ExportInfo | undefined
  /** How the release lays a module out (module-layout.ts): 6.12's unless said. */
  layout?: LayoutRules
  onProgress?(done: number, total: number): void
}

const KO = /\.ko(\.(xz|zst|gz))?$/

/** A module file's bytes as the kernel's decompressor sees them (`.ko.xz`, `.ko.zst`, `.ko.gz`). */
export function decompressModule(path: string, bytes: Uint8Array): Uint8Array {
  try {
    if (path.endsWith('.xz')) return xz.decompressSync(bytes)
    if (path.endsWith('.zst')) return zstd(bytes)
    if (path.endsWith('.gz')) return gunzipSync(bytes)
  } catch (error) {
    const kind = path.slice(path.lastIndexOf('.') + 1)
    throw new KoFormatError(
      `not a valid .${kind} file (${error instanceof Error ? error.message : error})`,
    )
  }
  return bytes
}

/** The object a module file comes from: `kernel/drivers/foo/bar.ko.xz` → `kernel/drivers/foo/bar`. */
export function objectPath(path: string): string {
  return path.replace(KO, '')
}

/**
 * A modules tree as depmod and the kernel see it. A file that is not a module is a problem named
 * with its path, never a reason to stop: the caller decides whether problems refuse the import.
 */
export function readModulesTree(files: TreeFiles, options: TreeOptions): ModulesTree {
  const listed = files.list()
  const present = new Set(listed)
  const text = (name: string) =>
    present.has(name) ? new TextDecoder().decode(files.read(name)) : undefined
  const order = (text('modules.order') ?? '').split('\n').filter(Boolean)
  const problems: TreeProblem[] = []
  const kos = listed.filter((path) => KO.test(path) && !path.startsWith('modules.'))
  // modules.order names `.ko`; the package ships them compressed.
  const byObject = new Map(kos.map((path) => [objectPath(path), path]))
  const ordered: string[] = []
  const seen = new Set<string>()
  for (const entry of order) {
    const path = byObject.get(objectPath(entry))
    if (path && !seen.has(path)) {
      ordered.push(path)
      seen.add(path)
    }
  }
  ordered.push(...kos.filter((path) => !seen.has(path)).sort())
  const modules: ModuleDefinition[] = []
  ordered.forEach((path, index) => {
    try {
      const bytes = decompressModule(path, files.read(path))
      const kconfig = options.kconfigOf(objectPath(path))
      modules.push(readKo(bytes, path, kconfig, options.exportInfo, options.layout))
    } catch (error) {
      problems.push({ file: path, problem: error instanceof Error ? error.message : String(error) })
    }
    options.onProgress?.(index + 1, ordered.length)
  })
  return {
    release: files.release,
    modules,
    builtin: readBuiltin(
      text('modules.builtin'),
      present.has('modules.builtin.modinfo') ? files.read('modules.builtin.modinfo') : undefined,
      options,
    ),
    order,
    builtinModinfo: text('modules.builtin.modinfo'),
    problems,
  }
}

/** modules.builtin's objects with their modules.builtin.modinfo tags (`name.key=value`). */
function readBuiltin(
  list: string | undefined,
  modinfo: Uint8Array | undefined,
  options: TreeOptions,
): ModuleDefinition[] {
  const infoByName = new Map<string, [string, string][]>()
  for (const entry of modinfo ? cStrings(modinfo) : []) {
    const dot = entry.indexOf('.')
    const eq = entry.indexOf('=', dot)
    if (dot < 0 || eq < 0) continue
    const name = entry.slice(0, dot)
    const info = infoByName.get(name) ?? []
    info.push([entry.slice(dot + 1, eq), entry.slice(eq + 1)])
    infoByName.set(name, info)
  }
  return (list ?? '')
    .split('\n')
    .filter(Boolean)
    .map((path) => {
      const name = path
        .slice(path.lastIndexOf('/') + 1)
        .replace(KO, '')
        .replaceAll('-', '_')
      return {
        name,
        kconfig: options.kconfigOf(objectPath(path)),
        path,
        info: infoByName.get(name) ?? [],
        complete: true,
        tableAliases: [],
        intree: true,
        signed: false,
        params: [],
        exports: [],
        imports: [],
        importNamespaces: [],
        hasInit: true,
        hasExit: true,
        init: { us: 0, messages: [], size: 0 },
        sizes: { text: 0, rodata: 0, roAfterInit: 0, data: 0, initText: 0, initData: 0 },
      }
    })
}
