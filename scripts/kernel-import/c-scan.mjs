// The source scanner's C reader: one driver source file's `of_device_id` tables, `*_OF_DECLARE`
// entries, driver structs (`.of_match_table`, `.name`, amba `id_table`), registrations
// (`module_platform_driver`, `builtin_*_driver`, `module_init`, `*_initcall`), `module_exit`
// and MODULE_LICENSE. Regular expressions over comment-free code, no C parser.
import {
  cInteger,
  cString,
  expandMacros,
  findName,
  innerBlocks,
  lineIndex,
  preprocess,
  splitTop,
  stripComments,
  topBlocks,
} from './c-lex.mjs'
import { CONTROLLER_SEEDS, controllerOf } from './controller-helpers.mjs'

const SEED_KINDS = new Map(Object.entries(CONTROLLER_SEEDS))

/**
 * @typedef {{ name: string, line: number, compatibles: string[], if?: Record<string, string>,
 *             skipped?: string[], usedBy?: string[], data?: Record<string, string> }} OfTable
 * @typedef {{ macro: string, table: string, name: string, compatible: string, fn: string,
 *             line: number, if?: string }} OfDeclare
 * @typedef {{ id: string, mask: string }} AmbaId
 * @typedef {{ var: string, type: string, name?: string, nameExpr?: string, table?: string,
 *             amba?: AmbaId[], ambaSkipped?: string[], ids?: string[], line: number,
 *             if?: string }} CDriver
 * @typedef {{ name: string, ofCompatible?: string, id?: number }} MfdCell
 * @typedef {{ arrays: Record<string, MfdCell[]>, added: string[], devid: string,
 *             byData: Record<string, string[]> }} MfdScan
 * @typedef {{ fn: string, level: string, sync?: true, via: string, registers: string[],
 *             line: number, if?: string }} CInit
 * @typedef {{ tables: OfTable[], declares: OfDeclare[], drivers: CDriver[], inits: CInit[],
 *             exit: boolean, license?: string, populates?: true, depopulates?: true,
 *             controller?: string,
 *             mfd?: MfdScan }} CFileScan
 */

/** What initcall level each registration macro runs at when built in (include/linux/init.h). */
const LEVELS =
  /\b(early|pure|core|postcore|arch|subsys|fs|rootfs|device|late)_initcall(_sync)?\s*\(\s*(\w+)\s*\)/g
const DECLARE =
  /\b((?:[A-Z0-9]+_)*(?:OF_)?DECLARE(?:_DRIVER)?|OF_DECLARE_(?:1|1_RET|2))\s*\(\s*(?:(\w+)\s*,\s*)?(\w+)\s*,\s*((?:"[^"]*"\s*)+|\w+)\s*,\s*([^;]*?)\)\s*;/g
const DECLARE_TABLE = /** @type {Record<string, string>} */ ({
  TIMER_OF_DECLARE: 'timer',
  IRQCHIP_DECLARE: 'irqchip',
  CLK_OF_DECLARE: 'clk',
  CLK_OF_DECLARE_DRIVER: 'clk',
  RESERVEDMEM_OF_DECLARE: 'reservedmem',
  OF_EARLYCON_DECLARE: 'earlycon',
  CPUIDLE_METHOD_OF_DECLARE: 'cpuidle_method',
  CPU_METHOD_OF_DECLARE: 'cpu_method',
})

/**
 * @param {string} source the file's text
 * @param {{ modname?: string, headerDefines?: Map<string, string>,
 *             headerMacros?: Map<string, import('./c-lex.mjs').CMacro>,
 *             controllerKinds?: Map<string, string> }} [opts] KBUILD_MODNAME for
 *   this file when its object is known; `#define`s (object-like and function-like) of the headers
 *   it includes; the functions that register a bus controller (controllerHelpers())
 * @returns {CFileScan}
 */
export function scanC(source, opts = {}) {
  const { code, defines, macros, lineCond } = preprocess(stripComments(source))
  for (const [k, v] of opts.headerDefines ?? []) if (!defines.has(k)) defines.set(k, v)
  for (const [k, v] of opts.headerMacros ?? []) if (!macros.has(k)) macros.set(k, v)
  const line = lineIndex(code)
  const condAt = (/** @type {number} */ offset) => lineCond[line(offset) - 1]
  const extra = opts.modname ? { KBUILD_MODNAME: opts.modname } : {}
  const blocks = topBlocks(code)
  const blockAt = (/** @type {number} */ offset) => {
    let lo = 0
    let hi = blocks.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const b = /** @type {{ open: number, close: number, header: string }} */ (blocks[mid])
      if (offset <= b.open) hi = mid - 1
      else if (offset >= b.close) lo = mid + 1
      else return b
    }
    return undefined
  }
  /** @type {Map<string, { open: number, close: number, header: string }>} */
  const arrays = new Map()
  for (const b of blocks) {
    if (!b.header.endsWith('=') || !b.header.includes('[')) continue
    const a = /(\w+)\s*\[[^\]]*\]\s*(?:__\w+\s*)*=$/.exec(b.header)
    if (a?.[1]) arrays.set(a[1], b)
  }
  /** @type {CFileScan} */
  const out = { tables: [], declares: [], drivers: [], inits: [], exit: false }

  // of_device_id tables.
  for (const b of blocks) {
    if (!b.header.includes('of_device_id')) continue
    // `struct of_device_id __maybe_unused name[]`, `struct of_device_id const name[]`.
    const m = /struct\s+of_device_id\s+(?:const\s+)?(?:__\w+\s+)*(\w+)\s*\[[^\]]*\][^=]*=$/.exec(
      b.header,
    )
    if (!m?.[1]) continue
    /** @type {OfTable} */
    const table = { name: m[1], line: line(b.open), compatibles: [] }
    const items = innerBlocks(code, b.open, b.close)
    let between = b.open + 1
    for (const item of items) {
      const gap = code.slice(between, item.open)
      if (/\w+\s*\(/.test(gap))
        (table.skipped ??= []).push(`macro entry ${gap.trim().slice(0, 60)}`)
      between = item.close + 1
      const body = code.slice(item.open + 1, item.close)
      const designated = /\.compatible\s*=\s*((?:"(?:[^"\\]|\\.)*"\s*|\w+\s*)+)/.exec(body)
      let expr = designated?.[1]
      if (!designated && /"/.test(body)) {
        // positional { name, type, compatible, data }
        const strings = body.split(',').map((s) => s.trim())
        expr = strings[2]
      }
      if (!expr || !expr.trim()) continue
      const value = cString(expr, defines, extra)
      if (value === undefined) {
        ;(table.skipped ??= []).push(`compatible ${expr.trim().slice(0, 60)}`)
        continue
      }
      if (value === '') continue
      table.compatibles.push(value)
      // `.data = &chip` (or a positional 4th field): which cells an MFD adds for this compatible.
      const data = /\.data\s*=\s*(?:\([^)]*\)\s*)?&?\s*(\w+)/.exec(body)?.[1]
      if (data && !/^\d/.test(data)) (table.data ??= {})[value] = data
      const cond = condAt(item.open)
      if (cond && cond !== condAt(b.open)) (table.if ??= {})[value] = cond
    }
    const tail = code.slice(between, b.close)
    if (/\w+\s*\(/.test(tail))
      (table.skipped ??= []).push(`macro entry ${tail.trim().slice(0, 60)}`)
    out.tables.push(table)
  }

  // IRQCHIP_PLATFORM_DRIVER_BEGIN(name) IRQCHIP_MATCH("compat", fn)... IRQCHIP_PLATFORM_DRIVER_END(name)
  for (const m of code.matchAll(
    /\bIRQCHIP_PLATFORM_DRIVER_BEGIN\s*\(\s*(\w+)\s*\)([\s\S]*?)IRQCHIP_PLATFORM_DRIVER_END\s*\(\s*\w+/g,
  )) {
    const name = m[1] ?? ''
    const compatibles = [...(m[2] ?? '').matchAll(/IRQCHIP_MATCH\s*\(\s*("[^"]*")/g)].map(
      (c) => cString(c[1] ?? '', defines) ?? '',
    )
    out.tables.push({ name: `${name}_irqchip_match_table`, line: line(m.index), compatibles })
    out.drivers.push({
      var: `${name}_driver`,
      type: 'platform_driver',
      name,
      table: `${name}_irqchip_match_table`,
      line: line(m.index),
    })
    out.inits.push({
      fn: `${name}_driver_init`,
      level: 'device',
      via: 'builtin_platform_driver',
      registers: [`${name}_driver`],
      line: line(m.index),
    })
  }

  // *_OF_DECLARE(name, "compat", fn) and OF_DECLARE_n(table, name, "compat", fn)
  for (const m of code.includes('DECLARE') ? code.matchAll(DECLARE) : []) {
    const [, macro = '', tableArg, name = '', compatExpr = '', fn = ''] = m
    const table = macro.startsWith('OF_DECLARE_') ? tableArg : DECLARE_TABLE[macro]
    if (!table || (tableArg && !macro.startsWith('OF_DECLARE_'))) continue
    const compatible = cString(compatExpr, defines, extra)
    if (compatible === undefined || compatible === '') continue
    /** @type {OfDeclare} */
    const d = { macro, table, name, compatible, fn: fn.trim(), line: line(m.index) }
    const cond = condAt(m.index)
    if (cond) d.if = cond
    out.declares.push(d)
  }

  // Driver structs: every initializer carrying `.of_match_table`, plus amba/platform drivers.
  const driverVars = new Set()
  for (const b of blocks) {
    if (!b.header.endsWith('=') || !b.header.includes('struct')) continue
    const h = /\bstruct\s+(\w+)\s+(\w+)\s*(?:\[[^\]]*\])?\s*(?:__\w+(?:\([^)]*\))?\s*)*=$/.exec(
      b.header,
    )
    if (!h?.[1] || !h[2] || h[1] === 'of_device_id') continue
    const body = code.slice(b.open, b.close + 1)
    const ref = /\bof_match_table\s*=\s*(?:of_match_ptr\s*\(\s*)?(?:&\s*)?(\w+)/.exec(body)
    if (!ref && !/^(platform|amba|i2c)_driver$/.test(h[1])) continue
    if (!ref && !/\.probe\s*=/.test(body)) continue
    /** @type {CDriver} */
    const drv = { var: h[2], type: h[1], line: line(b.open) }
    if (ref?.[1]) drv.table = ref[1]
    const nameExpr = findName(code, b.open, b.close, ref ? b.open + (ref.index ?? 0) : -1)
    if (nameExpr) {
      const name =
        cString(nameExpr, defines, extra) ??
        stringVariable(code, nameExpr.trim().replace(/^\((?:const\s+)?char\s*\*\)\s*/, ''))
      if (name !== undefined) drv.name = name
      else drv.nameExpr = nameExpr.trim().slice(0, 60)
    }
    if (h[1] === 'platform_driver' || h[1] === 'i2c_driver') {
      // platform_match() and i2c_device_match() try the id_table by name (drivers/base/platform.c:1305,
      // drivers/i2c/i2c-core-base.c:i2c_match_id).
      const ids = /\.id_table\s*=\s*(\w+)/.exec(body)?.[1]
      const idBlock = ids ? arrays.get(ids) : undefined
      if (idBlock) {
        const names = idTableNames(code.slice(idBlock.open + 1, idBlock.close), defines, extra)
        if (names.length > 0) drv.ids = names
      }
    }
    if (h[1] === 'amba_driver') {
      const ids = /\.id_table\s*=\s*(\w+)/.exec(body)?.[1]
      const idBlock = ids ? arrays.get(ids) : undefined
      if (idBlock)
        Object.assign(drv, ambaIds(code.slice(idBlock.open + 1, idBlock.close), defines, macros))
    }
    const cond = condAt(b.open)
    if (cond) drv.if = cond
    out.drivers.push(drv)
    driverVars.add(drv.var)
  }

  // Registrations.
  /** @param {number} at @param {CInit} init */
  const addInit = (at, init) => {
    const cond = condAt(at)
    if (cond) init.if = cond
    out.inits.push(init)
  }
  for (const m of code.includes('_driver')
    ? code.matchAll(/\b(module|builtin)_(\w+?)_driver(_probe)?\s*\(\s*(\w+)/g)
    : []) {
    const [, kind, bus = '', , drv = ''] = m
    if (blockAt(m.index ?? 0)) continue
    const fn = kind === 'module' && bus === 'phy' ? 'phy_module_init' : `${drv}_init`
    if (kind === 'module') out.exit = true
    addInit(m.index, {
      fn,
      level: 'device',
      via: m[0].replace(/\s*\(.*$/s, ''),
      registers: [drv],
      line: line(m.index),
    })
  }
  for (const m of code.matchAll(/\bmodule_driver\s*\(\s*(\w+)/g)) {
    if (blockAt(m.index ?? 0)) continue
    out.exit = true
    addInit(m.index, {
      fn: `${m[1]}_init`,
      level: 'device',
      via: 'module_driver',
      registers: [m[1] ?? ''],
      line: line(m.index),
    })
  }
  const functions = new Map()
  for (const b of blocks) {
    if (!b.header.endsWith(')')) continue
    const f = /(\w+)\s*\([^()]*\)\s*$/.exec(b.header)
    if (f?.[1] && !b.header.includes('=')) functions.set(f[1], b)
  }
  /** Driver structs a function registers: `&drv` in its body, through arrays and helpers. */
  const registered = (/** @type {string} */ fn, depth = 0, seen = new Set()) => {
    /** @type {Set<string>} */
    const found = new Set()
    const b = functions.get(fn)
    if (!b || seen.has(fn)) return found
    seen.add(fn)
    const body = code.slice(b.open, b.close)
    for (const id of new Set(body.match(/\b\w+\b/g) ?? [])) {
      if (driverVars.has(id)) found.add(id)
      else if (depth < 2 && functions.has(id) && id !== fn)
        for (const d of registered(id, depth + 1, seen)) found.add(d)
      else {
        const arr = arrays.get(id)
        if (arr)
          for (const d of code.slice(arr.open, arr.close).match(/\b\w+\b/g) ?? [])
            if (driverVars.has(d)) found.add(d)
      }
    }
    return found
  }
  const initcall = (
    /** @type {RegExpMatchArray} */ m,
    /** @type {string} */ fn,
    /** @type {string} */ level,
    sync = false,
  ) => {
    if (blockAt(m.index ?? 0)) return
    /** @type {CInit} */
    const init = {
      fn,
      level,
      via: m[0].replace(/\s*\(.*$/s, ''),
      registers: [...registered(fn)],
      line: line(m.index ?? 0),
    }
    if (sync) init.sync = true
    addInit(m.index ?? 0, init)
  }
  for (const m of code.includes('initcall') ? code.matchAll(LEVELS) : [])
    initcall(m, m[3] ?? '', m[1] ?? '', Boolean(m[2]))
  for (const m of code.matchAll(/\b(module_init|__initcall|console_initcall)\s*\(\s*(\w+)\s*\)/g))
    initcall(m, m[2] ?? '', m[1] === 'console_initcall' ? 'console' : 'device')
  if (/\bmodule_exit\s*\(\s*\w+\s*\)/.test(code)) out.exit = true
  const lic = /\bMODULE_LICENSE\s*\(\s*("[^"]*")\s*\)/.exec(code)
  if (lic?.[1]) out.license = cString(lic[1], defines)
  // The probe creates platform devices for the node's children (rpmh-rsc, qcom-spmi-pmic...).
  if (/\b(?:devm_)?of_platform_(?:default_)?populate\s*\(/.test(code)) out.populates = true
  // devm_of_platform_populate() or an of_platform_depopulate() take the children down on unbind.
  if (out.populates && /\b(?:devm_of_platform_populate|of_platform_depopulate)\s*\(/.test(code))
    out.depopulates = true
  // The probe registers a bus controller (spmi_controller_add(), i2c_add_adapter(),
  // i2c_mux_add_adapter()), itself or through a helper of the bus subsystem: the bus creates a
  // device per child node (drivers/spmi/spmi.c:539, drivers/i2c/i2c-core-of.c:85).
  const controller = controllerOf(code, opts.controllerKinds ?? SEED_KINDS)
  if (controller) out.controller = controller
  if (/\b(?:devm_)?mfd_add_devices\s*\(/.test(code)) {
    const mfd = mfdCells(code, blocks, arrays, defines, macros, extra)
    if (Object.keys(mfd.arrays).length > 0) out.mfd = mfd
  }

  const byLine = (/** @type {{ line: number }} */ a, /** @type {{ line: number }} */ b) =>
    a.line - b.line
  out.tables.sort(byLine)
  out.drivers.sort(byLine)
  out.inits.sort(byLine)

  // Who uses each table: the drivers naming it, or the functions that name it in code.
  for (const t of out.tables) {
    const users = new Set(out.drivers.filter((d) => d.table === t.name).map((d) => d.var))
    if (users.size === 0) {
      for (const m of code.matchAll(new RegExp(`\\b${t.name}\\b`, 'g'))) {
        const b = blockAt(m.index ?? 0)
        const fn = b && /(\w+)\s*\([^()]*\)\s*$/.exec(b.header)?.[1]
        if (fn && !b.header.includes('=')) users.add(`${fn}()`)
        else if (b && !b.header.includes('of_device_id'))
          users.add(/(\w+)\s*(?:\[[^\]]*\])?\s*=$/.exec(b.header)?.[1] ?? '?')
      }
    }
    if (users.size > 0) t.usedBy = [...users]
  }
  return out
}

/** The value of `static const char NAME[] = "..."` (or `char *NAME = "..."`) in the file. */
function stringVariable(/** @type {string} */ code, /** @type {string} */ name) {
  if (!/^\w+$/.test(name)) return undefined
  const m = new RegExp(
    `\\bchar\\s*(?:\\*\\s*(?:const\\s+)?)?${name}\\s*(?:\\[\\s*\\])?\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"\\s*;`,
  ).exec(code)
  return m?.[1]
}

const hex8 = (/** @type {number} */ n) => `0x${n.toString(16).padStart(8, '0')}`

/**
 * A `struct amba_id` table's entries up to the terminator (amba_lookup() stops at a zero mask,
 * drivers/amba/bus.c:54): designated (`.id = …, .mask = …`), positional, or built by a macro
 * (`CS_AMBA_ID(0x000bb95d)`, drivers/hwtracing/coresight/coresight-priv.h:176).
 * @param {string} body the text between the table's braces
 * @param {Map<string, string>} defines
 * @param {Map<string, import('./c-lex.mjs').CMacro>} macros
 * @returns {{ amba: AmbaId[], ambaSkipped?: string[] }}
 */
function ambaIds(body, defines, macros) {
  /** @type {AmbaId[]} */
  const amba = []
  /** @type {string[]} */
  const skipped = []
  for (const item of splitTop(body)) {
    const entry = expandMacros(item, macros).trim()
    const inner = /^\{([\s\S]*)\}$/.exec(entry)?.[1]
    if (inner === undefined) {
      skipped.push(item.slice(0, 60))
      continue
    }
    const fields = splitTop(inner)
    if (fields.length === 0) break
    const designated = (/** @type {string} */ name) =>
      fields.find((f) => new RegExp(`^\\.${name}\\s*=`).test(f))?.replace(/^[^=]*=/, '')
    const positional = !fields[0]?.startsWith('.')
    const idExpr = positional ? fields[0] : designated('id')
    const maskExpr = positional ? fields[1] : designated('mask')
    const id = idExpr === undefined ? 0 : cInteger(idExpr, defines, macros)
    const mask = maskExpr === undefined ? 0 : cInteger(maskExpr, defines, macros)
    if (mask === 0) break
    if (id === undefined || mask === undefined) {
      skipped.push(item.slice(0, 60))
      continue
    }
    amba.push({ id: hex8(id), mask: hex8(mask) })
  }
  return skipped.length > 0 ? { amba, ambaSkipped: skipped } : { amba }
}

/**
 * The names of a `struct platform_device_id` or `struct i2c_device_id` table: `{ "name", data }`
 * or `{ .name = "name" }`.
 */
function idTableNames(
  /** @type {string} */ body,
  /** @type {Map<string, string>} */ defines,
  /** @type {Record<string, string>} */ extra,
) {
  /** @type {string[]} */
  const names = []
  for (const item of splitTop(body)) {
    const inner = /^\{([\s\S]*)\}$/.exec(item.trim())?.[1]
    if (inner === undefined) continue
    const fields = splitTop(inner)
    const expr = fields.find((f) => /^\.name\s*=/.test(f))?.replace(/^[^=]*=/, '') ?? fields[0]
    if (!expr || expr.startsWith('.')) continue
    const name = cString(expr, defines, extra)
    if (name) names.push(name)
  }
  return names
}

/**
 * The MFD cells a file adds (drivers/mfd/mfd-core.c:154 mfd_add_device): every `struct mfd_cell`
 * array with each cell's name and of_compatible, the arrays named in (devm_)mfd_add_devices()
 * calls, its id argument, and the arrays each match-data struct names (`.data = &mt6358_core`).
 * @returns {MfdScan}
 */
function mfdCells(
  /** @type {string} */ code,
  /** @type {{ open: number, close: number, header: string }[]} */ blocks,
  /** @type {Map<string, { open: number, close: number, header: string }>} */ arrays,
  /** @type {Map<string, string>} */ defines,
  /** @type {Map<string, import('./c-lex.mjs').CMacro>} */ macros,
  /** @type {Record<string, string>} */ extra,
) {
  /** @type {Record<string, MfdCell[]>} */
  const cellArrays = {}
  for (const [name, b] of arrays) {
    if (!/\bstruct\s+mfd_cell\b/.test(b.header)) continue
    /** @type {MfdCell[]} */
    const cells = []
    for (const item of splitTop(code.slice(b.open + 1, b.close))) {
      const entry = expandMacros(item, macros).trim()
      const inner = /^\{([\s\S]*)\}$/.exec(entry)?.[1]
      if (inner === undefined) continue
      const fields = splitTop(inner)
      const field = (/** @type {string} */ key) =>
        fields.find((f) => new RegExp(`^\\.${key}\\s*=`).test(f))?.replace(/^[^=]*=/, '')
      const cellName = field('name')
      const cell = cellName === undefined ? undefined : cString(cellName, defines, extra)
      if (!cell) continue
      const compatible = field('of_compatible')
      const ofCompatible =
        compatible === undefined ? undefined : cString(compatible, defines, extra)
      // platform_id = id + cell->id (drivers/mfd/mfd-core.c:170): a cell's own id, when not 0.
      const idExpr = field('id')
      const id = idExpr === undefined ? undefined : cInteger(idExpr, defines, macros)
      cells.push({
        name: cell,
        ...(ofCompatible ? { ofCompatible } : {}),
        ...(id ? { id } : {}),
      })
    }
    if (cells.length > 0) cellArrays[name] = cells
  }
  /** @type {string[]} */
  const added = []
  let devid = ''
  for (const m of code.matchAll(/\b(?:devm_)?mfd_add_devices\s*\(([^;]*)\)\s*;/g)) {
    const args = splitTop(m[1] ?? '')
    devid ||= args[1]?.trim() ?? ''
    const cells = args[2]?.trim().replace(/^&/, '')
    if (cells && cellArrays[cells] && !added.includes(cells)) added.push(cells)
  }
  /** @type {Record<string, string[]>} */
  const byData = {}
  for (const b of blocks) {
    const h = /\bstruct\s+\w+\s+(\w+)\s*(?:__\w+\s*)*=$/.exec(b.header)
    if (!h?.[1]) continue
    const named = (code.slice(b.open, b.close).match(/\b\w+\b/g) ?? []).filter(
      (id) => cellArrays[id],
    )
    if (named.length > 0) byData[h[1]] = [...new Set(named)]
  }
  return { arrays: cellArrays, added, devid, byData }
}
