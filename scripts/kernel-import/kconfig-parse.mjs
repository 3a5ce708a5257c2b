// Kconfig reader for the source scanner: every `config`/`menuconfig` symbol with its type,
// prompt, dependencies (its own `depends on` joined with those of the enclosing `if`, `menu` and
// `choice` blocks), `select`s and `default`s, following `source` from the top Kconfig as the
// build does with SRCARCH set (Documentation/kbuild/kconfig-language.rst).
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/**
 * @typedef {{ symbol: string, if?: string }} KSelect
 * @typedef {{ value: string, if?: string }} KDefault
 * @typedef {{
 *   type?: 'bool' | 'tristate' | 'int' | 'hex' | 'string',
 *   prompt: boolean, promptIf?: string, depends?: string,
 *   select: KSelect[], imply: KSelect[], default: KDefault[],
 *   choice?: string, menuconfig?: true, at: string[],
 * }} KSymbol
 * @typedef {{ symbols: Record<string, KSymbol>, files: string[], missing: string[] }} KconfigTree
 */

const TYPES = new Set(['bool', 'tristate', 'int', 'hex', 'string'])

/** Splits `EXPR if COND` at the top-level ` if ` (outside quotes). */
function splitIf(text) {
  let quote = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '"') quote = !quote
    else if (!quote && c === ' ' && text.startsWith(' if ', i)) {
      return { expr: text.slice(0, i).trim(), cond: text.slice(i + 4).trim() }
    }
  }
  return { expr: text.trim(), cond: undefined }
}

/** `(A) && (B)` for a list of conditions, leaving simple ones unparenthesised. */
export function andAll(/** @type {(string|undefined)[]} */ parts) {
  const list = parts.filter((p) => p && p.length > 0)
  const wrap = (/** @type {string} */ p) =>
    /^!?[\w.]+$/.test(p) || list.length === 1 ? p : `(${p})`
  return list.length === 0
    ? undefined
    : list.map((p) => wrap(/** @type {string} */ (p))).join(' && ')
}

function indentOf(/** @type {string} */ line) {
  let n = 0
  for (const c of line) {
    if (c === ' ') n++
    else if (c === '\t') n = (Math.floor(n / 8) + 1) * 8
    else break
  }
  return n
}

/**
 * Parses Kconfig text. `onSource(path, kind)` is called for each `source` line (with SRCARCH
 * substituted) and returns the text of that file, or undefined; parsing then continues into it
 * with the current `if`/`menu` context, as kconfig does.
 * @param {string} text
 * @param {string} file name used in `at` (`drivers/clocksource/Kconfig`)
 * @param {{ symbols?: Record<string, KSymbol>, srcarch?: string,
 *           onSource?: (path: string, from: string) => { text: string, file: string } | undefined,
 *           context?: string[] }} [opts]
 */
export function parseKconfig(text, file, opts = {}) {
  const symbols = opts.symbols ?? {}
  const srcarch = opts.srcarch ?? 'arm64'
  /** @type {{ kind: string, deps: string[] }[]} */
  const stack = []
  const context = opts.context ?? []
  const lines = text.split('\n')
  /** @type {KSymbol | undefined} */
  let cur
  /** @type {string[]} */
  let curDeps = []
  /** @type {string | undefined} */
  let choiceName
  /** the block kind being filled: config, choice, menu, comment, or none */
  let block = 'none'
  /** @type {{ kind: string, deps: string[] } | undefined} */
  let menuFrame

  const finish = () => {
    if (cur) {
      const dep = andAll([...context, ...stack.flatMap((f) => f.deps), ...curDeps])
      if (dep)
        cur.depends = cur.depends && cur.depends !== dep ? `(${cur.depends}) || (${dep})` : dep
    }
    cur = undefined
    curDeps = []
  }

  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] ?? ''
    const lineNo = i + 1
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + ' ' + lines[++i]
    const hash = line.indexOf('#')
    const body = (hash >= 0 && !/"[^"]*#/.test(line) ? line.slice(0, hash) : line).trim()
    if (body === '') continue
    const [word = '', ...restWords] = body.split(/\s+/)
    const rest = restWords.join(' ')

    if (word === 'help' || word === '---help---') {
      // Help text: every following line that is blank or indented at least as deep as the first
      // one, which need only be indented (6.1's aic7xxx help sits at its `help` line's depth);
      // scripts/kconfig/lexer.l:196-240, first_ts.
      let j = i + 1
      while (j < lines.length && (lines[j] ?? '').trim() === '') j++
      const level = indentOf(lines[j] ?? '')
      if (level > 0) {
        while (
          j < lines.length &&
          ((lines[j] ?? '').trim() === '' || indentOf(lines[j] ?? '') >= level)
        )
          j++
      }
      i = j - 1
      continue
    }
    switch (word) {
      case 'config':
      case 'menuconfig': {
        finish()
        block = 'config'
        const name = rest.trim()
        const sym = (symbols[name] ??= {
          prompt: false,
          select: [],
          imply: [],
          default: [],
          at: [],
        })
        sym.at.push(`${file}:${lineNo}`)
        if (word === 'menuconfig') sym.menuconfig = true
        if (choiceName) sym.choice = choiceName
        cur = sym
        continue
      }
      case 'choice':
        finish()
        block = 'choice'
        choiceName = rest.trim() || `${file}:${lineNo}`
        menuFrame = { kind: 'choice', deps: [] }
        stack.push(menuFrame)
        continue
      case 'endchoice':
        finish()
        block = 'none'
        choiceName = undefined
        popTo(stack, 'choice')
        continue
      case 'menu':
        finish()
        block = 'menu'
        menuFrame = { kind: 'menu', deps: [] }
        stack.push(menuFrame)
        continue
      case 'endmenu':
        finish()
        block = 'none'
        popTo(stack, 'menu')
        continue
      case 'if':
        finish()
        block = 'none'
        stack.push({ kind: 'if', deps: [rest.trim()] })
        continue
      case 'endif':
        finish()
        block = 'none'
        popTo(stack, 'if')
        continue
      case 'comment':
      case 'mainmenu':
        finish()
        block = 'comment'
        continue
      case 'source':
      case 'rsource':
      case 'osource':
      case 'orsource': {
        finish()
        block = 'none'
        let path = rest.trim().replace(/^"|"$/g, '').replaceAll('$(SRCARCH)', srcarch)
        if (word.endsWith('rsource')) path = join(dirname(file), path)
        const got = opts.onSource?.(path, `${file}:${lineNo}`)
        if (got) {
          parseKconfig(got.text, got.file, {
            ...opts,
            symbols,
            context: [...context, ...stack.flatMap((f) => f.deps)],
          })
        }
        continue
      }
    }
    // Attributes of the current block.
    if (block === 'menu' || block === 'choice') {
      if (word === 'depends' && restWords[0] === 'on' && menuFrame) {
        menuFrame.deps.push(restWords.slice(1).join(' '))
      }
      continue
    }
    if (block !== 'config' || !cur) continue
    if (TYPES.has(word) || word === 'def_bool' || word === 'def_tristate') {
      cur.type = /** @type {KSymbol['type']} */ (word.startsWith('def_') ? word.slice(4) : word)
      if (word.startsWith('def_')) {
        const { expr, cond } = splitIf(rest)
        cur.default.push(cond ? { value: expr, if: cond } : { value: expr })
      } else if (rest) {
        const { cond } = splitIf(rest)
        cur.prompt = true
        if (cond) cur.promptIf = cond
      }
    } else if (word === 'prompt') {
      const { cond } = splitIf(rest)
      cur.prompt = true
      if (cond) cur.promptIf = cond
    } else if (word === 'depends' && restWords[0] === 'on') {
      curDeps.push(restWords.slice(1).join(' '))
    } else if (word === 'select' || word === 'imply') {
      const { expr, cond } = splitIf(rest)
      cur[word === 'select' ? 'select' : 'imply'].push(
        cond ? { symbol: expr, if: cond } : { symbol: expr },
      )
    } else if (word === 'default') {
      const { expr, cond } = splitIf(rest)
      cur.default.push(cond ? { value: expr, if: cond } : { value: expr })
    }
  }
  finish()
  return symbols
}

function popTo(/** @type {{kind: string}[]} */ stack, /** @type {string} */ kind) {
  for (let k = stack.length - 1; k >= 0; k--) {
    if (stack[k]?.kind === kind) {
      stack.length = k
      return
    }
  }
}

/**
 * Reads the whole Kconfig tree from `root/Kconfig`, following `source` lines.
 * @param {string} root
 * @param {string} [srcarch]
 * @returns {KconfigTree}
 */
export function readKconfigTree(root, srcarch = 'arm64') {
  /** @type {string[]} */
  const files = []
  /** @type {string[]} */
  const missing = []
  /** @param {string} path */
  const load = (path) => {
    const full = join(root, path)
    if (!existsSync(full)) {
      missing.push(path)
      return undefined
    }
    files.push(path)
    return { text: readFileSync(full, 'latin1'), file: path }
  }
  const top = load('Kconfig')
  /** @type {Record<string, KSymbol>} */
  const symbols = {}
  if (top) parseKconfig(top.text, top.file, { symbols, srcarch, onSource: load })
  return { symbols, files, missing }
}
