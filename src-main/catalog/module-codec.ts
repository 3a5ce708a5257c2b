import type { ExportedSymbol, ImportedSymbol, ModuleDefinition } from './module-schema'

/**
 * A module as catalog.json.gz stores it: what loading a profile reads (defaults left out). Its
 * lists (`StoredLists`) are stored apart, read when a boot's depmod, the loader or modinfo first
 * asks for one of them.
 */
export interface StoredModule {
  name: string
  kconfig: string
  path: string
  complete?: boolean
  tableAliases?: string[]
  intree?: boolean
  signed?: boolean
  importNamespaces?: string[]
  hasInit?: boolean
  hasExit?: boolean
  /** The init function initcall_debug names and its kallsyms size. */
  init?: { fn?: string; size: number }
  sizes: [number, number, number, number, number, number?]
}

/**
 * A module's bulky fields, each one string decoded the first time the module's field is read:
 * JSON.parse scans a long string far faster than it builds 250,000 small objects.
 */
export interface StoredLists {
  /** modinfo, one `key=value` a line (see `escape`); or its entries as a list. */
  info?: string | [string, string][]
  signature?: string
  /** `name:type:description` a line; or the list. */
  params?: string | ModuleDefinition['params']
  /** `name[@crc][!g][#namespace]` separated by spaces; or the list. */
  exports?: string | ExportedSymbol[]
  /** `name` (its exporter's CRC), `name@crc`, `name@` (none), `!w` when weak; space-separated. */
  imports: string
}

/** A line of a multi-line field: `\` and newlines escaped, so that a line is an entry. */
const escape = (text: string) => text.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'))
const unescape = (text: string) =>
  text.includes('\\') ? text.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c)) : text
const lines = (text: string) => (text ? text.split('\n') : [])

const encodeInfo = (info: [string, string][]) =>
  info.map(([key, value]) => `${key}=${escape(value)}`).join('\n')

function decodeInfo(text: string): [string, string][] {
  return lines(text).map((line) => {
    const at = line.indexOf('=')
    return [line.slice(0, at), unescape(line.slice(at + 1))]
  })
}

const encodeParams = (params: ModuleDefinition['params']) =>
  params.map(({ name, type, description }) => `${name}:${type}:${escape(description)}`).join('\n')

function decodeParams(text: string): ModuleDefinition['params'] {
  return lines(text).map((line) => {
    const first = line.indexOf(':')
    const second = line.indexOf(':', first + 1)
    const type = line.slice(first + 1, second) as ModuleDefinition['params'][number]['type']
    return { name: line.slice(0, first), type, description: unescape(line.slice(second + 1)) }
  })
}

/** A namespace with a space (none in a real build) keeps the list form. */
export function encodeExports(exports: ExportedSymbol[]): string | ExportedSymbol[] {
  if (exports.some((symbol) => symbol.namespace !== undefined && /\s|^$/.test(symbol.namespace)))
    return exports
  return exports
    .map(({ name, crc, gpl, namespace }) => {
      const tail = `${crc ? `@${crc}` : ''}${gpl ? '!g' : ''}`
      return `${name}${tail}${namespace !== undefined ? `#${namespace}` : ''}`
    })
    .join(' ')
}

export function decodeExports(text: string): ExportedSymbol[] {
  return (text ? text.split(' ') : []).map((token) => {
    const hash = token.indexOf('#')
    const head = hash < 0 ? token : token.slice(0, hash)
    const gpl = head.endsWith('!g')
    const body = gpl ? head.slice(0, -2) : head
    const at = body.indexOf('@')
    const symbol: ExportedSymbol =
      at < 0 ? { name: body, gpl } : { name: body.slice(0, at), gpl, crc: body.slice(at + 1) }
    if (hash >= 0) symbol.namespace = token.slice(hash + 1)
    return symbol
  })
}

/** Every exported symbol's CRC: the image's and the modules'. */
export function exportCrcs(
  exports: readonly ExportedSymbol[],
  modules: readonly Pick<ModuleDefinition, 'exports'>[],
): Map<string, string> {
  const crcs = new Map<string, string>()
  for (const symbol of exports) if (symbol.crc) crcs.set(symbol.name, symbol.crc)
  for (const module of modules)
    for (const symbol of module.exports) if (symbol.crc) crcs.set(symbol.name, symbol.crc)
  return crcs
}

export function encodeModule(
  module: ModuleDefinition,
  crcs: ReadonlyMap<string, string>,
): [StoredModule, StoredLists] {
  const encodeImport = (entry: ImportedSymbol): string => {
    const { name, crc, weak } = typeof entry === 'string' ? { name: entry, weak: false } : entry
    const version = crc === crcs.get(name) ? '' : `@${crc ?? ''}`
    return `${name}${version}${weak ? '!w' : ''}`
  }
  const { sizes, init } = module
  // A real module's vermagic is its modinfo's: it is not stored twice.
  const lists: StoredLists = {
    ...(module.info.length ? { info: encodeInfo(module.info) } : {}),
    ...(module.signature !== undefined ? { signature: module.signature } : {}),
    ...(module.params.length ? { params: encodeParams(module.params) } : {}),
    ...(module.exports.length ? { exports: encodeExports(module.exports) } : {}),
    imports: module.imports.map(encodeImport).join(' '),
  }
  const stored: StoredModule = {
    name: module.name,
    kconfig: module.kconfig,
    path: module.path,
    ...(module.complete ? { complete: true } : {}),
    ...(module.tableAliases.length ? { tableAliases: module.tableAliases } : {}),
    ...(module.intree ? {} : { intree: false }),
    ...(module.signed ? {} : { signed: false }),
    ...(module.importNamespaces.length ? { importNamespaces: module.importNamespaces } : {}),
    ...(module.hasInit ? {} : { hasInit: false }),
    ...(module.hasExit ? {} : { hasExit: false }),
    ...(init.fn ? { init: { fn: init.fn, size: init.size } } : {}),
    sizes: [
      sizes.text,
      sizes.rodata,
      sizes.data,
      sizes.initText,
      sizes.initData,
      sizes.roAfterInit,
    ],
  }
  return [stored, lists]
}

function decodeImport(text: string, crcs: ReadonlyMap<string, string>): ImportedSymbol {
  const weak = text.endsWith('!w')
  const body = weak ? text.slice(0, -2) : text
  const at = body.indexOf('@')
  const name = at < 0 ? body : body.slice(0, at)
  const crc = at < 0 ? crcs.get(name) : body.slice(at + 1) || undefined
  if (crc) return { name, crc, weak }
  return weak ? { name, weak } : name
}

/** Strings are decoded on first read; a list (or nothing) is taken as it is. */
function decoder<T>(
  stored: () => string | T[] | undefined,
  decode: (text: string) => T[],
): () => T[] {
  let value: T[] | undefined
  return () => {
    if (value) return value
    const field = stored()
    return (value = typeof field === 'string' ? decode(field) : (field ?? []))
  }
}

/** A module whose bulky fields are decoded when first read (assigning one replaces it). */
export function decodeModule(
  stored: StoredModule,
  lists: () => StoredLists,
  crcs: () => ReadonlyMap<string, string>,
): ModuleDefinition {
  const [text = 0, rodata = 0, data = 0, initText = 0, initData = 0, roAfterInit = 0] = stored.sizes
  let info = decoder(() => lists().info, decodeInfo)
  let params = decoder(() => lists().params, decodeParams)
  let exports = decoder(() => lists().exports, decodeExports)
  let imports = decoder(
    () => lists().imports,
    (list) => (list ? list.split(' ').map((entry) => decodeImport(entry, crcs())) : []),
  )
  let names = (): string[] => {
    const list = lists().imports
    return list ? list.split(' ').map(importName) : []
  }
  let signature = () => lists().signature
  let vermagic = (): string | undefined => info().find(([key]) => key === 'vermagic')?.[1]
  const module: ModuleDefinition = {
    name: stored.name,
    kconfig: stored.kconfig,
    path: stored.path,
    get info() {
      return info()
    },
    set info(value) {
      info = () => value
    },
    complete: stored.complete ?? false,
    tableAliases: stored.tableAliases ?? [],
    intree: stored.intree ?? true,
    signed: stored.signed ?? true,
    get signature() {
      return signature()
    },
    set signature(value) {
      signature = () => value
    },
    get vermagic() {
      return vermagic()
    },
    set vermagic(value) {
      vermagic = () => value
    },
    get params() {
      return params()
    },
    set params(value) {
      params = () => value
    },
    get exports() {
      return exports()
    },
    set exports(value) {
      exports = () => value
    },
    get imports() {
      return imports()
    },
    set imports(value) {
      imports = () => value
      names = () => value.map(nameOf)
    },
    importNamespaces: stored.importNamespaces ?? [],
    hasInit: stored.hasInit ?? true,
    hasExit: stored.hasExit ?? true,
    init: {
      us: 0,
      messages: [],
      size: stored.init?.size ?? 0,
      ...(stored.init?.fn ? { fn: stored.init.fn } : {}),
    },
    sizes: { text, rodata, roAfterInit, data, initText, initData },
  }
  importNames.set(module, () => names())
  return module
}

const nameOf = (entry: ImportedSymbol) => (typeof entry === 'string' ? entry : entry.name)

/** A stored import's symbol name: before its `@crc` and its `!w`. */
function importName(text: string): string {
  const at = text.indexOf('@')
  if (at >= 0) return text.slice(0, at)
  return text.endsWith('!w') ? text.slice(0, -2) : text
}

/** The names a decoded module's imports read from its stored string, without decoding them. */
const importNames = new WeakMap<ModuleDefinition, () => string[]>()

/**
 * The names of the symbols a module imports (what depmod resolves): from a catalog's module, read
 * without building each import with its CRC; from any other, its imports' names.
 */
export function importedNames(module: ModuleDefinition): string[] {
  return importNames.get(module)?.() ?? module.imports.map(nameOf)
}
