// The functions whose call registers a bus controller, across files: the bus cores' own, then every
// non-static function of that bus's subsystem whose body names one, to a fixed point. A driver
// registers a controller through a helper of another module that way: i2c_designware_platform's
// probe calls i2c_dw_probe() (i2c-designware-common.c), which calls i2c_dw_probe_master()
// (i2c-designware-master.c), which calls i2c_add_numbered_adapter(). Regular expressions over
// comment-free code, no C parser.
import { stripComments, topBlocks } from './c-lex.mjs'

/** The cores' registration calls, and the kind of controller each registers. */
export const CONTROLLER_SEEDS = /** @type {Record<string, string>} */ ({
  spmi_controller_add: 'spmi',
  devm_spmi_controller_add: 'spmi',
  i2c_add_adapter: 'i2c',
  i2c_add_numbered_adapter: 'i2c',
  devm_i2c_add_adapter: 'i2c',
  // drivers/i2c/i2c-mux.c:270: an adapter per mux channel, below the parent adapter.
  i2c_mux_add_adapter: 'i2c-mux',
})

/** Where helpers of each kind may live: the bus's own subsystem, not a user of it (drm's DP AUX). */
const SUBSYSTEM = /** @type {Record<string, string>} */ ({
  spmi: 'drivers/spmi/',
  i2c: 'drivers/i2c/',
  'i2c-mux': 'drivers/i2c/',
})

const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof'])

/**
 * The non-static functions a file defines, with the identifiers each body names.
 * @param {string} code comment-free C
 */
export function globalFunctions(code) {
  /** @type {Map<string, Set<string>>} */
  const out = new Map()
  for (const b of topBlocks(code)) {
    const m = /(\w+)\s*\((?:[^()]|\([^()]*\))*\)\s*$/.exec(b.header)
    const name = m?.[1]
    if (!m || !name || KEYWORDS.has(name)) continue
    const before = b.header.slice(0, m.index)
    if (/\bstatic\b|=\s*$|\b(?:struct|enum|union)\s*$/.test(before)) continue
    out.set(name, new Set(code.slice(b.open, b.close).match(/\b[A-Za-z_]\w*\b/g) ?? []))
  }
  return out
}

/**
 * The registering functions of the scanned files, by kind: the seeds, then each non-static
 * function of a bus subsystem's file that names a registering function, until none is new.
 * @param {string[]} files paths relative to root
 * @param {(file: string) => Buffer} read
 */
export function controllerHelpers(files, read) {
  const kinds = new Map(Object.entries(CONTROLLER_SEEDS))
  /** @type {Map<string, Map<string, Set<string>>>} */
  const parsed = new Map()
  let fresh = [...kinds.keys()]
  while (fresh.length > 0) {
    const needles = fresh.map((name) => Buffer.from(name))
    /** @type {string[]} */
    const next = []
    for (const file of files) {
      if (!Object.values(SUBSYSTEM).some((dir) => file.startsWith(dir))) continue
      let fns = parsed.get(file)
      if (!fns) {
        const bytes = read(file)
        if (!needles.some((needle) => bytes.includes(needle))) continue
        fns = globalFunctions(stripComments(bytes.toString('latin1')))
        parsed.set(file, fns)
      }
      for (const [fn, idents] of fns) {
        if (kinds.has(fn)) continue
        const named = [...idents].map((id) => kinds.get(id)).filter((kind) => kind !== undefined)
        const kind = named.includes('i2c-mux') ? 'i2c-mux' : named[0]
        if (!kind || !file.startsWith(SUBSYSTEM[kind] ?? '\0')) continue
        kinds.set(fn, kind)
        next.push(fn)
      }
    }
    fresh = next
  }
  return kinds
}

/**
 * The controller a file's code registers by calling a registering function it neither defines nor
 * exports (the core that defines and exports i2c_add_adapter() registers none).
 * @param {string} code comment-free C
 * @param {Map<string, string>} kinds from controllerHelpers()
 */
export function controllerOf(code, kinds) {
  const defined = new Set(globalFunctions(code).keys())
  for (const m of code.matchAll(/\bEXPORT_SYMBOL(?:_GPL)?\s*\(\s*(\w+)\s*\)/g))
    if (m[1]) defined.add(m[1])
  /** @type {string | undefined} */
  let found
  for (const id of new Set(code.match(/\b[A-Za-z_]\w*\b/g) ?? [])) {
    const kind = kinds.get(id)
    if (!kind || defined.has(id)) continue
    if (kind === 'i2c-mux' || !found) found = kind
  }
  return found
}
