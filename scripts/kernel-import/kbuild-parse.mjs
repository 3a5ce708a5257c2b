// Kbuild reader for the source scanner: `obj-$(CONFIG_X) += foo.o dir/`, composite objects
// (`foo-y`, `foo-objs`, `foo-$(CONFIG_Y)`), recursing into listed directories as
// scripts/Makefile.build does. A small subset of make: simple variables, `include $(src)/...`,
// addprefix/addsuffix/patsubst, and `ifeq`/`ifdef` blocks recorded as conditions (not evaluated).
import { existsSync, readFileSync } from 'node:fs'
import { join, posix } from 'node:path'

/**
 * @typedef {{ name: string, config?: string, cond?: string }} KbuildEntry
 * @typedef {{ objs: KbuildEntry[], lib: KbuildEntry[], parts: Record<string, KbuildEntry[]> }} KbuildFile
 * @typedef {{
 *   module: string, config: string, via?: string[], lib?: true, cond?: string,
 *   sources: string[], partIf?: Record<string, string>,
 * }} KObject
 */

/** `NAME op VALUE` with the operator found outside `$(...)`, or undefined. */
function splitAssign(/** @type {string} */ line) {
  let level = 0
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (c === '(' || c === '{') level++
    else if (c === ')' || c === '}') level--
    else if (
      level === 0 &&
      (c === '=' || ((c === ':' || c === '+' || c === '?') && line[i + 1] === '='))
    ) {
      const op = c === '=' ? '=' : `${c}=`
      const name = line.slice(0, i).replace(/:$/, '').trim()
      if (name === '' || /\s/.test(name.replace(/\$\([^)]*\)\)?/g, ''))) return undefined
      return { name, op, value: line.slice(i + op.length).trim() }
    } else if (level === 0 && c === ':') return undefined
  }
  return undefined
}
const GUARDED = /^(.+?)-\$\((?:subst m,y,\$\()?CONFIG_(\w+)\)\)?$/

/** Expands `$(VAR)` and the few functions Kbuild Makefiles use in object lists. */
function expand(/** @type {string} */ text, /** @type {Map<string,string>} */ vars, depth = 0) {
  if (depth > 8 || !text.includes('$')) return text
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c !== '$' || (text[i + 1] !== '(' && text[i + 1] !== '{')) {
      out += c
      continue
    }
    const open = text[i + 1]
    const close = open === '(' ? ')' : '}'
    let level = 0
    let j = i + 1
    for (; j < text.length; j++) {
      if (text[j] === open) level++
      else if (text[j] === close && --level === 0) break
    }
    const inner = text.slice(i + 2, j)
    i = j
    const fn = /^(addprefix|addsuffix|patsubst|subst|filter-out|strip|sort) (.*)$/s.exec(inner)
    if (fn) {
      const args = splitArgs(expand(fn[2] ?? '', vars, depth + 1))
      const words = (/** @type {number} */ k) => (args[k] ?? '').split(/\s+/).filter(Boolean)
      if (fn[1] === 'addprefix')
        out += words(1)
          .map((w) => args[0]?.trim() + w)
          .join(' ')
      else if (fn[1] === 'addsuffix')
        out += words(1)
          .map((w) => w + args[0]?.trim())
          .join(' ')
      else if (fn[1] === 'patsubst') {
        const [from = '', to = ''] = [args[0]?.trim(), args[1]?.trim()]
        const [pre = '', suf = ''] = from.split('%')
        out += words(2)
          .map((w) =>
            w.startsWith(pre) && w.endsWith(suf)
              ? to.replace('%', w.slice(pre.length, w.length - suf.length))
              : w,
          )
          .join(' ')
      } else if (fn[1] === 'subst') out += (args[2] ?? '').replaceAll(args[0] ?? '', args[1] ?? '')
      else if (fn[1] === 'strip' || fn[1] === 'sort') out += args.join(',').trim()
      continue
    }
    if (/^CONFIG_\w+$/.test(inner)) out += `$(${inner})`
    else {
      out += expand(vars.get(inner) ?? '', vars, depth + 1)
      // `$(foo-y)` also takes `foo-$(CONFIG_X)` lists: whichever the config makes `foo-y`.
      const list = /^(.+)-y$/.exec(inner)
      if (list) {
        const prefix = `${list[1]}-$(CONFIG_`
        for (const [name, value] of vars)
          if (name.startsWith(prefix)) out += ` ${expand(value, vars, depth + 1)}`
      }
    }
  }
  return out
}

function splitArgs(/** @type {string} */ text) {
  const args = []
  let level = 0
  let start = 0
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') level++
    else if (text[i] === ')') level--
    else if (text[i] === ',' && level === 0) {
      args.push(text.slice(start, i))
      start = i + 1
    }
  }
  args.push(text.slice(start))
  return args
}

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
      const config = guarded?.[2]
      const cond = conds.length > 0 ? conds.join(' && ') : undefined
      const list =
        base === 'obj' ? result.objs : base === 'lib' ? result.lib : (result.parts[base] ??= [])
      for (const word of value.split(/\s+/).filter(Boolean)) {
        if (word.includes('$(')) continue
        /** @type {KbuildEntry} */
        const entry = { name: word }
        if (config) entry.config = config
        if (cond) entry.cond = cond
        list.push(entry)
      }
    }
  }
  run(text)
  return result
}

/**
 * Walks the Kbuild tree from the given top-level directories and lists every object it builds.
 * @param {string} root source root
 * @param {{ dir: string, config?: string }[]} tops
 * @returns {{ objects: Record<string, KObject>, dirs: number, missingDirs: string[] }}
 */
export function walkKbuild(root, tops) {
  /** @type {Record<string, KObject>} */
  const objects = {}
  /** @type {string[]} */
  const missingDirs = []
  const seen = new Set()
  /** @param {string} rel */
  const readInclude = (rel) => {
    const full = join(root, rel)
    return existsSync(full) ? readFileSync(full, 'latin1') : undefined
  }
  /** @type {{ dir: string, via: string[], cond?: string }[]} */
  const queue = tops.map((t) => ({
    dir: t.dir.replace(/\/$/, ''),
    via: t.config ? [t.config] : [],
  }))
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
          queue.push({
            dir: target.replace(/\/$/, ''),
            via: entry.config ? [...via, entry.config] : via,
          })
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
        const addSource = (/** @type {string} */ obj, /** @type {string | undefined} */ config) => {
          const stem = posix.normalize(`${dir}/${obj.replace(/\.o$/, '')}`)
          const src = ['.c', '.S', '.rs']
            .map((ext) => stem + ext)
            .find((p) => existsSync(join(root, p)))
          const name = src ?? `${stem}.c`
          if (sources.includes(name)) return
          sources.push(name)
          if (config) partIf[name] = config
        }
        if (partList && partList.length > 0) {
          for (const part of partList)
            if (part.name.endsWith('.o')) addSource(part.name, part.config)
        } else addSource(entry.name, undefined)
        const existing = objects[path]
        if (existing) {
          for (const s of sources) if (!existing.sources.includes(s)) existing.sources.push(s)
          continue
        }
        /** @type {KObject} */
        const obj = {
          module: posix.basename(path).replaceAll('-', '_'),
          config: entry.config ?? 'y',
          sources,
        }
        if (via.length > 0) obj.via = via
        if (lib) obj.lib = true
        if (entry.cond) obj.cond = entry.cond
        if (Object.keys(partIf).length > 0) obj.partIf = partIf
        objects[path] = obj
      }
    }
  }
  return { objects, dirs: seen.size, missingDirs }
}
