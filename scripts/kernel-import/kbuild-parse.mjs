// Kbuild reader for the source scanner: `obj-$(CONFIG_X) += foo.o dir/`, composite objects
// (`foo-y`, `foo-objs`, `foo-$(CONFIG_Y)`), recursing into listed directories as
// scripts/Makefile.build does. A small subset of make: simple variables, `include $(src)/...`,
// addprefix/addsuffix/patsubst, and `ifeq`/`ifdef` blocks recorded as conditions (evaluated,
// when a .config is given, for each object's y/m/n).
import { existsSync, readFileSync } from 'node:fs'
import { join, posix } from 'node:path'
import { evalCond, expand, splitAssign } from './make-lex.mjs'

/**
 * @typedef {{ name: string, config?: string, builtinIfM?: true, cond?: string, conds?: string[] }} KbuildEntry
 * @typedef {{ objs: KbuildEntry[], lib: KbuildEntry[], parts: Record<string, KbuildEntry[]> }} KbuildFile
 * @typedef {{
 *   module: string, config: string, alsoConfig?: string[], builtinIfM?: true, via?: string[],
 *   lib?: true, cond?: string, sources: string[], partIf?: Record<string, string>,
 *   value?: 'y' | 'm' | 'n',
 * }} KObject
 */

const GUARDED = /^(.+?)-\$\((subst m,y,\$\()?CONFIG_(\w+)\)\)?$/

/**
 * Parses one Kbuild Makefile. `readInclude(path)` returns an included file's text.
 * @param {string} text
 * @param {string} dir the directory of the Makefile, relative to the source root
 * @param {(path: string) => string | undefined} [readInclude]
 * @param {Record<string, string>} [extraVars]
 * @returns {KbuildFile}
 */
export function parseKbuild(text, dir, readInclude, extraVars = {}) {
  /** @type {KbuildFile} */
  const result = { objs: [], lib: [], parts: {} }
  const vars = new Map([
    ['src', dir],
    ['obj', dir],
    ['srctree', '.'],
    ['objtree', '.'],
    ['SRCARCH', 'arm64'],
    ...Object.entries(extraVars),
  ])
  /** @type {string[]} */
  const conds = []
  const run = (/** @type {string} */ source, includeDepth = 0) => {
    const lines = source.replace(/\\\n/g, ' ').split('\n')
    let inRule = false
    for (const raw of lines) {
      if (raw.startsWith('\t') && inRule) continue
      const line = raw.replace(/(^|[^\\])#.*$/, '$1').trim()
      if (line === '') continue
      const directive = /^(ifeq|ifneq|ifdef|ifndef|else|endif)\b\s*(.*)$/.exec(line)
      if (directive) {
        const [, kw, arg = ''] = directive
        if (kw === 'endif') conds.pop()
        else if (kw === 'else') {
          const last = conds.pop() ?? ''
          conds.push(`!(${last})${arg ? ` && ${arg}` : ''}`)
        } else conds.push(`${kw} ${arg}`.trim())
        continue
      }
      const inc = /^-?s?include\s+(.+)$/.exec(line)
      if (inc) {
        for (const p of expand(inc[1] ?? '', vars)
          .split(/\s+/)
          .filter(Boolean)) {
          const body = includeDepth < 4 ? readInclude?.(posix.normalize(p)) : undefined
          if (body !== undefined) run(body, includeDepth + 1)
        }
        continue
      }
      const m = splitAssign(line)
      if (!m) {
        inRule = /^[^=]*:/.test(line)
        continue
      }
      inRule = false
      const { name: rawName, op, value: rawValue } = m
      const name = expand(rawName, vars)
      const value = expand(rawValue, vars)
      const prev = op === '+=' ? vars.get(name) : undefined
      if (op !== '?=' || !vars.has(name)) vars.set(name, prev ? `${prev} ${value}` : value)
      const guarded = GUARDED.exec(name)
      const plain = /^(.+)-(y|m|objs)$/.exec(name)
      const base = guarded?.[1] ?? plain?.[1]
      if (!base) continue
      const config =
        guarded?.[3] ?? (plain?.[2] === 'm' && /^(obj|lib)$/.test(base) ? 'm' : undefined)
      const cond = conds.length > 0 ? conds.join(' && ') : undefined
      const list =
        base === 'obj' ? result.objs : base === 'lib' ? result.lib : (result.parts[base] ??= [])
      for (const word of value.split(/\s+/).filter(Boolean)) {
        if (word.includes('$(')) continue
        /** @type {KbuildEntry} */
        const entry = { name: word }
        if (config) entry.config = config
        if (guarded?.[2]) entry.builtinIfM = true
        if (cond) {
          entry.cond = cond
          entry.conds = [...conds]
        }
        list.push(entry)
      }
    }
  }
  run(text)
  return result
}

const RANK = { n: 0, m: 1, y: 2 }
/** @typedef {'y' | 'm' | 'n'} Tri */
const max = (/** @type {Tri} */ a, /** @type {Tri} */ b) => (RANK[a] >= RANK[b] ? a : b)
const min = (/** @type {Tri} */ a, /** @type {Tri} */ b) => (RANK[a] <= RANK[b] ? a : b)

/**
 * Walks the Kbuild tree from the given top-level directories and lists every object it builds;
 * with a config, each object's y/m/n: its guards (`obj-y` and `obj-m` wins as kbuild filters),
 * the make conditions around it, and the directories leading to it (any enabled path).
 * @param {string} root source root
 * @param {{ dir: string, config?: string }[]} tops
 * @param {Record<string, string>} [config] .config values without the CONFIG_ prefix
 * @returns {{ objects: Record<string, KObject>, dirs: number, missingDirs: string[] }}
 */
export function walkKbuild(root, tops, config) {
  /** @type {Record<string, KObject>} */
  const objects = {}
  /** @type {string[]} */
  const missingDirs = []
  const seen = new Set()
  /** @type {{ from: string, to: string, value: Tri }[]} */
  const edges = []
  /** @type {Map<string, { dir: string, value: Tri }>} */
  const objectGuard = new Map()
  /** the y/m/n of one entry, under the config */
  const entryValue = (/** @type {KbuildEntry} */ e) => {
    if (!config) return /** @type {Tri} */ ('y')
    const c = e.config ?? 'y'
    /** @type {Tri} */
    let v = c === 'y' || c === 'm' ? c : config[c] === 'y' ? 'y' : config[c] === 'm' ? 'm' : 'n'
    if (v === 'm' && e.builtinIfM) v = 'y'
    if ((e.conds ?? []).some((k) => evalCond(k, config) === false)) v = 'n'
    return v
  }
  /** @param {string} rel */
  const readInclude = (rel) => {
    const full = join(root, rel)
    return existsSync(full) ? readFileSync(full, 'latin1') : undefined
  }
  /** @type {{ dir: string, via: string[] }[]} */
  const queue = tops.map((t) => {
    const dir = t.dir.replace(/\/$/, '')
    edges.push({ from: '', to: dir, value: entryValue(t) })
    return { dir, via: t.config ? [t.config] : [] }
  })
  while (queue.length > 0) {
    const { dir, via } = /** @type {{ dir: string, via: string[] }} */ (queue.shift())
    if (seen.has(dir)) continue
    seen.add(dir)
    const file = ['Kbuild', 'Makefile'].map((f) => join(root, dir, f)).find((f) => existsSync(f))
    if (!file) {
      missingDirs.push(dir)
      continue
    }
    const parsed = parseKbuild(readFileSync(file, 'latin1'), dir, readInclude)
    for (const [entries, lib] of /** @type {[KbuildEntry[], boolean][]} */ ([
      [parsed.objs, false],
      [parsed.lib, true],
    ])) {
      for (const entry of entries) {
        const target = posix.normalize(`${dir}/${entry.name}`)
        if (entry.name.endsWith('/')) {
          const to = target.replace(/\/$/, '')
          edges.push({ from: dir, to, value: entryValue(entry) })
          queue.push({ dir: to, via: entry.config ? [...via, entry.config] : via })
          continue
        }
        if (!entry.name.endsWith('.o') && !entry.name.endsWith('.a')) continue
        const base = entry.name.replace(/\.[oa]$/, '')
        const path = target.replace(/\.[oa]$/, '')
        const partList = parsed.parts[base]
        /** @type {string[]} */
        const sources = []
        /** @type {Record<string, string>} */
        const partIf = {}
        const addSource = (/** @type {string} */ obj, /** @type {string | undefined} */ cfg) => {
          const stem = posix.normalize(`${dir}/${obj.replace(/\.o$/, '')}`)
          const src = ['.c', '.S', '.rs']
            .map((ext) => stem + ext)
            .find((p) => existsSync(join(root, p)))
          const name = src ?? `${stem}.c`
          if (sources.includes(name)) return
          sources.push(name)
          if (cfg) partIf[name] = cfg
        }
        if (partList && partList.length > 0) {
          for (const part of partList)
            if (part.name.endsWith('.o')) addSource(part.name, part.config)
        } else addSource(entry.name, undefined)
        const guard = objectGuard.get(path)
        const value = entryValue(entry)
        objectGuard.set(path, { dir, value: guard ? max(guard.value, value) : value })
        const existing = objects[path]
        if (existing) {
          for (const s of sources) if (!existing.sources.includes(s)) existing.sources.push(s)
          const c = entry.config ?? 'y'
          if (c !== existing.config && !existing.alsoConfig?.includes(c)) {
            existing.alsoConfig = [...(existing.alsoConfig ?? []), c]
          }
          continue
        }
        /** @type {KObject} */
        const obj = {
          module: posix.basename(path).replaceAll('-', '_'),
          config: entry.config ?? 'y',
          sources,
        }
        if (entry.builtinIfM) obj.builtinIfM = true
        if (via.length > 0) obj.via = via
        if (lib) obj.lib = true
        if (entry.cond) obj.cond = entry.cond
        if (Object.keys(partIf).length > 0) obj.partIf = partIf
        objects[path] = obj
      }
    }
  }
  if (config) {
    // A directory is built as far as its best path from the top allows.
    /** @type {Map<string, Tri>} */
    const dirValue = new Map([['', 'y']])
    for (let changed = true, rounds = 0; changed && rounds < 50; rounds++) {
      changed = false
      for (const e of edges) {
        const v = min(dirValue.get(e.from) ?? 'n', e.value)
        const old = dirValue.get(e.to) ?? 'n'
        if (RANK[v] > RANK[old]) {
          dirValue.set(e.to, v)
          changed = true
        }
      }
    }
    for (const [path, g] of objectGuard) {
      const obj = objects[path]
      if (obj) obj.value = min(dirValue.get(g.dir) ?? 'n', g.value)
    }
  }
  return { objects, dirs: seen.size, missingDirs }
}
