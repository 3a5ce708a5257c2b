// What the kernel offers a module for each symbol it needs: the export (Module.symvers of the
// headers package), where vmlinux has it (the real System.map of the -dbg package, placed in a
// section by the linker's boundary symbols), and its definition in the 6.12 source (file:line and
// the __init-style marker written there).
import { spawnSync } from 'node:child_process'

export interface Export {
  module: string
  gpl: boolean
  namespace?: string
}

export function parseSymvers(text: string): Map<string, Export> {
  const exports = new Map<string, Export>()
  for (const line of text.split('\n')) {
    const [, symbol, module, kind, namespace] = line.split('\t')
    if (!symbol || !module || !kind) continue
    exports.set(symbol, {
      module,
      gpl: kind.endsWith('_GPL'),
      ...(namespace ? { namespace } : {}),
    })
  }
  return exports
}

/** vmlinux regions, from the linker script's boundary symbols (arch/arm64/kernel/vmlinux.lds.S). */
const REGIONS: [string, string, string][] = [
  ['init.text', '_sinittext', '_einittext'],
  ['exit.text', '__exittext_begin', '__exittext_end'],
  ['init.data', '__initdata_begin', '__initdata_end'],
  ['text', '_stext', '_etext'],
  ['ro_after_init', '__start_ro_after_init', '__end_ro_after_init'],
  ['rodata', '__start_rodata', '__end_rodata'],
  ['data', '_sdata', '_edata'],
  ['bss', '__bss_start', '__bss_stop'],
]

export interface MapSymbol {
  /** the region of vmlinux its address falls in: text, init.text, init.data, rodata, data, bss... */
  section: string
  /** System.map's type letter (upper case: global) */
  type: string
}

export function parseSystemMap(text: string): (symbol: string) => MapSymbol | undefined {
  const bySymbol = new Map<string, { address: bigint; type: string }[]>()
  for (const line of text.split('\n')) {
    const [address, type, symbol] = line.split(' ')
    if (!address || !type || !symbol) continue
    const list = bySymbol.get(symbol) ?? []
    list.push({ address: BigInt(`0x${address}`), type })
    bySymbol.set(symbol, list)
  }
  const at = (symbol: string): bigint => {
    const found = bySymbol.get(symbol)?.[0]
    if (!found) throw new Error(`System.map has no ${symbol}`)
    return found.address
  }
  const regions = REGIONS.map(([name, from, to]) => ({ name, from: at(from), to: at(to) }))
  return (symbol) => {
    const entries = bySymbol.get(symbol)
    if (!entries) return undefined
    // a module links only against globals; a static of the same name elsewhere does not count
    const entry = entries.find((candidate) => /[A-Z]/.test(candidate.type)) ?? entries[0]!
    const region = regions.find(({ from, to }) => entry.address >= from && entry.address < to)
    return { section: region?.name ?? 'other', type: entry.type }
  }
}

export interface Definition {
  /** file:line in the 6.12 source */
  at: string
  /** `__init`, `__initdata`, `__initconst`, `__ro_after_init`... as written on the definition */
  marker?: string
}

const MARKERS = /\b(__init|__initdata|__initconst|__ro_after_init|__exit|__refdata|__ref)\b/

/**
 * The definitions of these symbols in the source (file scope, not a declaration, not `static`),
 * found with one grep over the directories that build vmlinux. A function's marker may sit on
 * the line before its name (`int __init\nfoo(...)`), so two lines are read.
 */
export function findDefinitions(src: string, symbols: string[]): Map<string, Definition> {
  const found = new Map<string, Definition>()
  if (symbols.length === 0) return found
  const dirs = ['arch/arm64', 'block', 'drivers', 'fs', 'include', 'kernel', 'lib', 'mm', 'net']
  const pattern = `\\b(${symbols.map((s) => s.replace(/[^\w]/g, '')).join('|')})\\b`
  const run = spawnSync(
    'grep',
    ['-rnE', '-B1', '--include=*.c', '--include=*.h', '--include=*.S', pattern, ...dirs],
    { cwd: src, encoding: 'utf8', maxBuffer: 1 << 28 },
  )
  const lines = run.stdout.split('\n')
  const candidates = new Map<string, (Definition & { rank: number })[]>()
  for (let index = 0; index < lines.length; index++) {
    const match = /^(.+?):(\d+):(.*)$/.exec(lines[index] as string)
    if (!match) continue
    const [, file, line, code] = match as unknown as [string, string, string, string]
    if (/^\s/.test(code) || /^\s*(#|\/\/|\*|\/\*|extern\b|static\b|typedef\b|EXPORT_)/.test(code))
      continue
    const previous = /^(.+?)[-:](\d+)[-:](.*)$/.exec(lines[index - 1] ?? '')?.[3] ?? ''
    for (const symbol of symbols) {
      const isFunction =
        new RegExp(`\\b${symbol}\\s*\\(`).test(code) &&
        !/;\s*$/.test(code) &&
        !/=/.test(code.split(symbol)[0] ?? '')
      const isObject = new RegExp(`^[^(]*\\b${symbol}\\b\\s*(\\[[^\\]]*\\])?\\s*(=|;|__)`).test(
        code,
      )
      const isAsm =
        file.endsWith('.S') && new RegExp(`^(SYM_\\w+\\(\\s*${symbol}\\b|${symbol}:)`).test(code)
      if (!isFunction && !isObject && !isAsm) continue
      const marker =
        MARKERS.exec(code)?.[1] ?? (isFunction ? MARKERS.exec(previous)?.[1] : undefined)
      // a multi-line prototype in a header looks like a definition: a .c or .S file wins
      const rank = file.endsWith('.h') ? 1 : 0
      const list = candidates.get(symbol) ?? []
      list.push({ at: `${file}:${line}`, ...(marker ? { marker } : {}), rank })
      candidates.set(symbol, list)
    }
  }
  for (const [symbol, list] of candidates) {
    const best = [...list].sort((a, b) => a.rank - b.rank || a.at.localeCompare(b.at))[0]!
    found.set(symbol, { at: best.at, ...(best.marker ? { marker: best.marker } : {}) })
  }
  return found
}
