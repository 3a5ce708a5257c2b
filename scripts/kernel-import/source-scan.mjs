#!/usr/bin/env node
// Source scanner: reads a kernel source tree (Debian's linux-source-6.12) as an arm64 build sees
// it and writes a driver index: every Kconfig symbol (type, depends, selects, defaults, prompt),
// every object Kbuild builds (module path as in modules.order, guarding symbol, C sources), and
// for every C file with an of_device_id table, *_OF_DECLARE, driver struct or initcall: its
// compatibles, driver names, bus, registration (initcall level and function) and module.
//
//   node scripts/kernel-import/source-scan.mjs SRC_ROOT CONFIG_FILE OUT.json
//
// SRC_ROOT is the extracted tree (`usr/src/linux-source-6.12.tar.xz`); CONFIG_FILE the build's
// .config (`boot/config-*` of the linux-image package), deciding each object's y/m/n.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { preprocess, stripComments } from './c-lex.mjs'
import { scanC } from './c-scan.mjs'
import { controllerHelpers } from './controller-helpers.mjs'
import { parseKbuild, walkKbuild } from './kbuild-parse.mjs'
import { readKconfigTree } from './kconfig-parse.mjs'

export { parseKconfig } from './kconfig-parse.mjs'
export { parseKbuild } from './kbuild-parse.mjs'
export { scanC } from './c-scan.mjs'
export { controllerHelpers } from './controller-helpers.mjs'

/** The folders whose C files are scanned for drivers (what an arm64 build reaches), with arch/ARCH. */
export const SCAN_DIRS = [
  'drivers',
  'sound',
  'net',
  'fs',
  'kernel',
  'mm',
  'lib',
  'crypto',
  'block',
  'security',
  'virt',
  'init',
  'io_uring',
  'ipc',
  'certs',
]

/** Words without which a file has nothing to report (searched in the raw bytes). */
const NEEDLES = [
  'of_device_id',
  '_DECLARE',
  'initcall',
  'module_init',
  '_driver',
  'of_match_table',
  'IRQCHIP_PLATFORM_DRIVER',
].map((w) => Buffer.from(w))

/**
 * The `#define`s of the headers a file includes: `"x.h"` from its own folder (and the local
 * headers those include, coresight-etm4x.h → coresight-priv.h), `<x.h>` from include/ and
 * arch/ARCH/include/ (one level, not the headers' own includes).
 */
function headerDefines(
  /** @type {string} */ root,
  /** @type {string} */ file,
  /** @type {string} */ text,
  /** @type {string} */ arch,
) {
  /** @type {Map<string, string>} */
  const defines = new Map()
  /** @type {Map<string, import('./c-lex.mjs').CMacro>} */
  const macros = new Map()
  const seen = new Set()
  const read = (/** @type {string} */ from, /** @type {string} */ source, depth = 0) => {
    for (const m of source.matchAll(/^\s*#\s*include\s+(?:"([^"]+\.h)"|<([^>]+\.h)>)/gm)) {
      const paths = m[1]
        ? [join(root, dirname(from), m[1])]
        : [join(root, 'include', m[2] ?? ''), join(root, 'arch', arch, 'include', m[2] ?? '')]
      const path = paths.find((p) => existsSync(p))
      if (!path || seen.has(path)) continue
      seen.add(path)
      const header = readFileSync(path, 'latin1')
      const facts = preprocess(stripComments(header))
      for (const [k, v] of facts.defines) if (!defines.has(k)) defines.set(k, v)
      for (const [k, v] of facts.macros) if (!macros.has(k)) macros.set(k, v)
      if (m[1] && depth < 2) read(relative(root, path), header, depth + 1)
    }
  }
  read(file, text)
  return { headerDefines: defines, headerMacros: macros }
}

/** `CONFIG_X=y` lines of a .config, without the prefix: X → 'y' | 'm' | value. */
export function parseDotConfig(/** @type {string} */ text) {
  /** @type {Record<string, string>} */
  const values = {}
  for (const line of text.split('\n')) {
    const m = /^CONFIG_(\w+)=(.*)$/.exec(line)
    if (m?.[1]) values[m[1]] = (m[2] ?? '').replace(/^"(.*)"$/, '$1')
  }
  return values
}

/**
 * @param {string} root kernel source root
 * @param {{ config?: string | Record<string, string>, arch?: string, dirs?: string[] }} [opts]
 *   the .config (text or values), the arch, and the folders whose C files to scan (SCAN_DIRS)
 */
export function scanSource(root, opts = {}) {
  const started = performance.now()
  const arch = opts.arch ?? 'arm64'
  const config = typeof opts.config === 'string' ? parseDotConfig(opts.config) : opts.config
  // Kconfig
  const tree = readKconfigTree(root, arch)
  /** @type {Record<string, object>} */
  const kconfig = {}
  for (const [name, s] of Object.entries(tree.symbols)) {
    /** @type {Record<string, unknown>} */
    const out = { type: s.type, prompt: s.prompt }
    if (s.promptIf) out.promptIf = s.promptIf
    if (s.depends) out.depends = s.depends
    if (s.select.length) out.select = s.select
    if (s.imply.length) out.imply = s.imply
    if (s.default.length) out.default = s.default
    if (s.choice) out.choice = s.choice
    out.at = s.at.length === 1 ? s.at[0] : s.at
    if (config) out.value = config[name] ?? 'n'
    kconfig[name] = out
  }
  const tKconfig = performance.now()

  // Kbuild
  const top = parseKbuild(readFileSync(join(root, 'Kbuild'), 'latin1'), '', undefined, {
    SRCARCH: arch,
    ARCH_LIB: `arch/${arch}/lib/ lib/`,
    ARCH_CORE: '',
    ARCH_DRIVERS: '',
  })
  const walk = walkKbuild(
    root,
    top.objs
      .filter((e) => e.name.endsWith('/'))
      .map((e) => ({ dir: e.name, ...(e.config ? { config: e.config } : {}) })),
    config,
  )
  /** @type {Map<string, string[]>} */
  const objectsOf = new Map()
  for (const [path, obj] of Object.entries(walk.objects)) {
    for (const src of obj.sources) objectsOf.set(src, [...(objectsOf.get(src) ?? []), path])
  }
  const tKbuild = performance.now()

  // C files
  /** @type {Record<string, object>} */
  const drivers = {}
  /** @type {Map<string, string[]>} table name → files of drivers that name it without defining it */
  const foreignUse = new Map()
  let scannedFiles = 0
  /** @type {string[]} */
  const cFiles = []
  for (const dir of opts.dirs ?? [...SCAN_DIRS, `arch/${arch}`]) {
    if (!existsSync(join(root, dir))) continue
    const names = /** @type {string[]} */ (readdirSync(join(root, dir), { recursive: true }))
    for (const name of names) if (name.endsWith('.c')) cFiles.push(`${dir}/${name}`)
  }
  const controllerKinds = controllerHelpers(cFiles, (file) => readFileSync(join(root, file)))
  {
    for (const file of cFiles) {
      const bytes = readFileSync(join(root, file))
      scannedFiles++
      if (!NEEDLES.some((w) => bytes.includes(w))) continue
      const text = bytes.toString('latin1')
      const objs = objectsOf.get(file) ?? []
      const mods = [...new Set(objs.map((o) => walk.objects[o]?.module))]
      const modname = mods.length === 1 && mods[0] ? { modname: mods[0] } : {}
      let scan = scanC(text, { ...modname, controllerKinds })
      // Names left unresolved may be #defined in an included header: read those and scan again.
      if (
        scan.drivers.some((d) => d.nameExpr || d.ambaSkipped) ||
        scan.tables.some((t) => t.skipped)
      ) {
        scan = scanC(text, {
          ...modname,
          controllerKinds,
          ...headerDefines(root, file, text, arch),
        })
      }
      if (
        !scan.tables.length &&
        !scan.declares.length &&
        !scan.drivers.length &&
        !scan.inits.length
      )
        continue
      for (const d of scan.drivers) {
        if (d.table && !scan.tables.some((t) => t.name === d.table)) {
          foreignUse.set(d.table, [...(foreignUse.get(d.table) ?? []), `${file}#${d.var}`])
        }
      }
      /** @type {Record<string, unknown>} */
      const rec = { objects: objs }
      if (scan.tables.length) rec.tables = scan.tables
      if (scan.declares.length) rec.declares = scan.declares
      if (scan.drivers.length) rec.drivers = scan.drivers
      if (scan.inits.length) rec.inits = scan.inits
      rec.exit = scan.exit
      if (scan.license) rec.license = scan.license
      if (scan.populates) rec.populates = true
      if (scan.depopulates) rec.depopulates = true
      if (scan.controller) rec.controller = scan.controller
      if (scan.mfd) rec.mfd = scan.mfd
      drivers[file] = rec
    }
  }

  // A .c file #included by another (ehci-grlib.c by ehci-hcd.c) links into the includer's object.
  for (const [file, rec] of Object.entries(drivers)) {
    const r = /** @type {{ objects: string[], includedBy?: string }} */ (rec)
    if (r.objects.length > 0) continue
    const dir = dirname(file)
    const base = file.slice(dir.length + 1)
    for (const sibling of readdirSync(join(root, dir))) {
      if (!sibling.endsWith('.c') || sibling === base) continue
      const objs = objectsOf.get(`${dir}/${sibling}`)
      if (objs && readFileSync(join(root, dir, sibling), 'latin1').includes(`#include "${base}"`)) {
        r.objects = objs
        r.includedBy = `${dir}/${sibling}`
        break
      }
    }
  }

  // Coverage of drivers/ of_device_id tables.
  const reasons = /** @type {Record<string, number>} */ ({})
  const summary = {
    scannedFiles,
    driverFiles: 0,
    filesWithTables: 0,
    tables: 0,
    tablesResolved: 0,
    compatibles: 0,
    declares: 0,
    unresolved: reasons,
    skippedEntries: 0,
    objects: Object.keys(walk.objects).length,
    kconfigSymbols: Object.keys(kconfig).length,
    ms: 0,
  }
  for (const [file, rec] of Object.entries(drivers)) {
    const r =
      /** @type {{ objects: string[], tables?: import('./c-scan.mjs').OfTable[], drivers?: import('./c-scan.mjs').CDriver[], declares?: unknown[] }} */ (
        rec
      )
    summary.declares += r.declares?.length ?? 0
    for (const t of r.tables ?? []) {
      const foreign = foreignUse.get(t.name)
      if (foreign && !t.usedBy?.some((u) => r.drivers?.some((d) => d.var === u)))
        t.usedBy = [...(t.usedBy ?? []), ...foreign]
    }
    if (!file.startsWith('drivers/')) continue
    summary.driverFiles++
    if (!r.tables?.length) continue
    summary.filesWithTables++
    for (const t of r.tables) {
      summary.tables++
      summary.compatibles += t.compatibles.length
      summary.skippedEntries += t.skipped?.length ?? 0
      const byDriver = t.usedBy?.some((u) => u.includes('#') || r.drivers?.some((d) => d.var === u))
      const reason = !t.usedBy
        ? 'table not referenced'
        : !byDriver
          ? t.usedBy.some((u) => u.endsWith('()'))
            ? 'matched in code (of_match_node etc.), no driver struct'
            : 'referenced by another initializer'
          : r.objects.length === 0
            ? 'driver found, file in no Kbuild object'
            : undefined
      if (reason) reasons[reason] = (reasons[reason] ?? 0) + 1
      else summary.tablesResolved++
    }
  }
  summary.ms = Math.round(performance.now() - started)
  const timing = {
    kconfigMs: Math.round(tKconfig - started),
    kbuildMs: Math.round(tKbuild - tKconfig),
    cMs: Math.round(performance.now() - tKbuild),
  }
  return {
    drivers,
    kconfig,
    objects: walk.objects,
    summary: {
      ...summary,
      ...timing,
      kconfigMissing: tree.missing,
      kbuildMissingDirs: walk.missingDirs,
    },
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [root, configFile, outFile] = process.argv.slice(2)
  if (!root || !configFile || !outFile) {
    console.error('usage: node scripts/kernel-import/source-scan.mjs SRC_ROOT CONFIG_FILE OUT.json')
    process.exit(2)
  }
  const result = scanSource(root, { config: readFileSync(configFile, 'utf8') })
  writeFileSync(outFile, JSON.stringify(result))
  const s = result.summary
  console.log(
    `scanned ${s.scannedFiles} C files in ${s.ms} ms (Kconfig ${s.kconfigMs}, Kbuild ${s.kbuildMs}, C ${s.cMs})`,
  )
  console.log(`Kconfig: ${s.kconfigSymbols} symbols; Kbuild: ${s.objects} objects`)
  console.log(
    `drivers/: ${s.filesWithTables} files with of_device_id tables, ${s.tables} tables, ${s.compatibles} compatibles`,
  )
  console.log(
    `  resolved to a driver and its object: ${s.tablesResolved} (${((100 * s.tablesResolved) / Math.max(1, s.tables)).toFixed(1)}%)`,
  )
  for (const [reason, n] of Object.entries(s.unresolved))
    console.log(`  unresolved, ${reason}: ${n}`)
  console.log(
    `  table entries skipped (macro entries or unresolvable compatibles): ${s.skippedEntries}`,
  )
  console.log(`  *_OF_DECLARE entries (all dirs): ${s.declares}`)
}
