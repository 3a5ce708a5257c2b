// Lexical helpers for the source scanner's C reader: comments out, preprocessor lines apart,
// top-level brace blocks, string-literal concatenation, simple `#define` resolution, and the
// integer constant expressions of device-id tables (function-like macros expanded).

/** @typedef {{ params: string[], body: string }} CMacro */

/**
 * Replaces comments with spaces (newlines kept, so offsets and line numbers hold); strings and
 * character literals are kept as they are.
 * @param {string} text
 */
export function stripComments(text) {
  return text.replace(COMMENT_OR_LITERAL, (m) =>
    m.charCodeAt(0) === 47 ? m.replace(/[^\n]/g, ' ') : m,
  )
}
const COMMENT_OR_LITERAL =
  /\/\*[\s\S]*?(?:\*\/|$(?![\s\S]))|\/\/[^\n]*|"(?:[^"\\\n]|\\[\s\S])*"|'(?:[^'\\\n]|\\[\s\S])*'/g

/**
 * Splits comment-free text into code (preprocessor lines blanked) and the preprocessor facts:
 * object-like `#define`s, and for each line the `#if` conditions around it that name a CONFIG_
 * symbol or MODULE (e.g. `IS_ENABLED(CONFIG_OF)`, `!defined(MODULE)`).
 * @param {string} text
 */
export function preprocess(text) {
  const lines = text.split('\n')
  /** @type {Map<string, string>} */
  const defines = new Map()
  /** @type {Map<string, CMacro>} function-like macros */
  const macros = new Map()
  /** @type {(string | undefined)[]} */
  const lineCond = []
  /** @type {{ conds: string[] }[]} */
  const stack = []
  const interesting = (/** @type {string} */ c) => /CONFIG_|\bMODULE\b/.test(c)
  let current = /** @type {string | undefined} */ (undefined)
  const recompute = () => {
    const all = stack.flatMap((f) => f.conds.filter(interesting))
    current = all.length > 0 ? all.join(' && ') : undefined
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const m = line.includes('#') ? /^\s*#\s*(\w+)\s*(.*)$/.exec(line) : null
    if (!m) {
      lineCond.push(current)
      continue
    }
    let full = line
    const start = i
    while (full.endsWith('\\') && i + 1 < lines.length) full = full.slice(0, -1) + ' ' + lines[++i]
    for (let k = start; k <= i; k++) {
      lineCond.push(current)
      lines[k] = ''
    }
    const [, kw, rest0 = ''] = m
    const rest = full.replace(/^\s*#\s*\w+\s*/, '').trim() || rest0
    if (kw === 'define') {
      const d = /^(\w+)(\s+(.*))?$/.exec(rest)
      if (d?.[1] && !defines.has(d[1])) defines.set(d[1], (d[3] ?? '').trim())
      const f = /^(\w+)\(([^)]*)\)\s*(.*)$/.exec(rest)
      if (f?.[1] && !macros.has(f[1]))
        macros.set(f[1], { params: (f[2] ?? '').split(',').map((p) => p.trim()), body: f[3] ?? '' })
    } else if (kw === 'if') stack.push({ conds: [rest] })
    else if (kw === 'ifdef') stack.push({ conds: [`defined(${rest})`] })
    else if (kw === 'ifndef') stack.push({ conds: [`!defined(${rest})`] })
    else if (kw === 'elif' || kw === 'else') {
      const top = stack[stack.length - 1]
      if (top) {
        const prev = top.conds.pop() ?? ''
        const simple = /^(?:\w+\(\w+\)|\w+)$/
        const negated =
          prev.startsWith('!') && simple.test(prev.slice(1))
            ? prev.slice(1)
            : simple.test(prev)
              ? `!${prev}`
              : `!(${prev})`
        top.conds.push(negated)
        if (kw === 'elif') top.conds.push(rest)
      }
    } else if (kw === 'endif') stack.pop()
    if (
      kw === 'if' ||
      kw === 'ifdef' ||
      kw === 'ifndef' ||
      kw === 'elif' ||
      kw === 'else' ||
      kw === 'endif'
    ) {
      recompute()
    }
  }
  return { code: lines.join('\n'), defines, macros, lineCond }
}

/**
 * The top-level `{...}` blocks of C code: their span and the declaration text before them
 * (its last 400 characters).
 * @param {string} code
 * @returns {{ open: number, close: number, header: string }[]}
 */
export function topBlocks(code) {
  /** @type {{ open: number, close: number, header: string }[]} */
  const blocks = []
  let depth = 0
  let stmtStart = 0
  let open = 0
  const n = code.length
  for (let i = 0; i < n; i++) {
    const c = code.charCodeAt(i)
    if (c === 34 || c === 39) {
      for (i++; i < n && code.charCodeAt(i) !== c; i++) if (code.charCodeAt(i) === 92) i++
    } else if (c === 123) {
      if (depth === 0) open = i
      depth++
    } else if (c === 125) {
      depth--
      if (depth === 0) {
        blocks.push({
          open,
          close: i,
          header: code.slice(Math.max(stmtStart, open - 400), open).trim(),
        })
        stmtStart = i + 1
      } else if (depth < 0) depth = 0
    } else if (c === 59 && depth === 0) stmtStart = i + 1
  }
  return blocks
}

/** The `{...}` items directly inside a block body (depth 1), with their spans. */
export function innerBlocks(
  /** @type {string} */ code,
  /** @type {number} */ open,
  /** @type {number} */ close,
) {
  /** @type {{ open: number, close: number }[]} */
  const items = []
  let depth = 0
  let start = 0
  for (let i = open + 1; i < close; i++) {
    const c = code.charCodeAt(i)
    if (c === 34 || c === 39) {
      for (i++; i < close && code.charCodeAt(i) !== c; i++) if (code.charCodeAt(i) === 92) i++
    } else if (c === 123) {
      if (depth === 0) start = i
      depth++
    } else if (c === 125) {
      depth--
      if (depth === 0) items.push({ open: start, close: i })
    }
  }
  return items
}

/**
 * The value of a C string expression: adjacent literals and simple `#define`d names
 * (`DRV_NAME "-foo"`), or undefined when something else is in it.
 * @param {string} expr
 * @param {Map<string, string>} defines
 * @param {Record<string, string>} [extra] names known from elsewhere (KBUILD_MODNAME)
 */
export function cString(expr, defines, extra = {}, depth = 0) {
  let out = ''
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|(\w+))/y
  let pos = 0
  const text = expr.trim().replace(/^\(\s*(.*?)\s*\)$/s, '$1')
  if (text === '') return undefined
  while (pos < text.length) {
    re.lastIndex = pos
    const m = re.exec(text)
    if (!m) return /^\s*$/.test(text.slice(pos)) ? out : undefined
    pos = re.lastIndex
    if (m[1] !== undefined) out += m[1]
    else {
      const name = m[2] ?? ''
      if (name in extra) out += extra[name]
      else {
        const def = defines.get(name)
        if (def === undefined || depth > 5) return undefined
        const v = cString(def, defines, extra, depth + 1)
        if (v === undefined) return undefined
        out += v
      }
    }
  }
  return out
}

/** A function giving the line number (1-based) of an offset in `text`. */
export function lineIndex(/** @type {string} */ text) {
  const starts = [0]
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
  return (/** @type {number} */ offset) => {
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if ((starts[mid] ?? 0) <= offset) lo = mid
      else hi = mid - 1
    }
    return lo + 1
  }
}

/**
 * The `.name = ...` expression of a driver initializer: in the innermost `{...}` around its
 * `.of_match_table` (the `struct device_driver`), else anywhere in the initializer.
 */
export function findName(
  /** @type {string} */ code,
  /** @type {number} */ open,
  /** @type {number} */ close,
  /** @type {number} */ at,
) {
  let start = open
  let end = close
  if (at > 0) {
    for (let i = at, depth = 0; i > open; i--) {
      if (code[i] === '}') depth++
      else if (code[i] === '{' && depth-- === 0) {
        start = i
        break
      }
    }
    for (let i = at, depth = 0; i < close; i++) {
      if (code[i] === '{') depth++
      else if (code[i] === '}' && depth-- === 0) {
        end = i
        break
      }
    }
  }
  const pick = (/** @type {string} */ text) =>
    /(?:^|[\s,{]|\.driver|\.drv)\.name\s*=\s*((?:"(?:[^"\\]|\\.)*"|[^,}"])+?)\s*(?:,|}|$)/.exec(
      text,
    )?.[1]
  return pick(code.slice(start + 1, end)) ?? pick(code.slice(open + 1, close))
}

/**
 * The comma-separated items of an initializer or argument list, split at depth 0 (parentheses,
 * braces and strings kept whole), trimmed, empty ones dropped.
 * @param {string} text
 */
export function splitTop(text) {
  /** @type {string[]} */
  const items = []
  let depth = 0
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++
    } else if (c === '(' || c === '{' || c === '[') depth++
    else if (c === ')' || c === '}' || c === ']') depth--
    else if (c === ',' && depth === 0) {
      items.push(text.slice(start, i).trim())
      start = i + 1
    }
  }
  items.push(text.slice(start).trim())
  return items.filter((item) => item !== '')
}

/**
 * Function-like macro calls replaced by their bodies, arguments substituted, until none is left
 * (or after a few rounds: a recursive macro).
 * @param {string} text
 * @param {Map<string, CMacro>} macros
 */
export function expandMacros(text, macros) {
  for (let round = 0; round < 8; round++) {
    let changed = false
    let out = ''
    let pos = 0
    for (const m of text.matchAll(/\b(\w+)\s*\(/g)) {
      const macro = macros.get(m[1] ?? '')
      if (!macro || (m.index ?? 0) < pos) continue
      const open = (m.index ?? 0) + m[0].length - 1
      let depth = 0
      let close = -1
      for (let i = open; i < text.length; i++) {
        if (text[i] === '(') depth++
        else if (text[i] === ')' && --depth === 0) {
          close = i
          break
        }
      }
      if (close < 0) break
      const args = splitTop(text.slice(open + 1, close))
      let body = macro.body
      macro.params.forEach((param, i) => {
        if (param) body = body.replace(new RegExp(`\\b${param}\\b`, 'g'), () => args[i] ?? '')
      })
      out += text.slice(pos, m.index) + body
      pos = close + 1
      changed = true
    }
    if (!changed) return text
    text = out + text.slice(pos)
  }
  return text
}

/**
 * The value of a C integer constant expression as an unsigned 32-bit number (`0x00041011`,
 * `BIT(3) << 16`, `(PIDR2_JEDEC << 16)`, a `#define`d name), or undefined when it is not one.
 * @param {string} expr
 * @param {Map<string, string>} defines
 * @param {Map<string, CMacro>} [macros]
 */
export function cInteger(expr, defines, macros = new Map()) {
  const all = new Map([...BUILTIN_MACROS, ...macros])
  let text = expandMacros(expr, all)
  for (
    let round = 0;
    round < 8 && /[A-Za-z_]/.test(text.replace(/\b0x[0-9a-f]+|\b\d+[ul]*/gi, ''));
    round++
  ) {
    text = text.replace(/\b[A-Za-z_]\w*\b/g, (name) => defines.get(name) ?? name)
    text = expandMacros(text, all)
  }
  // Casts and integer suffixes change nothing here.
  text = text
    .replace(/\(\s*(?:unsigned\s+)?(?:long\s+)*(?:int|long|u32|u64)\s*\)/g, '')
    .replace(/\b(0x[0-9a-f]+|\d+)[ul]+\b/gi, '$1')
  const tokens = text.match(/0x[0-9a-f]+|\d+|<<|>>|[-+*|&^~()]|\S/gi) ?? []
  let at = 0
  /** @returns {bigint | undefined} */
  const primary = () => {
    const t = tokens[at++]
    if (t === undefined) return undefined
    if (t === '(') {
      const v = binary(0)
      return tokens[at++] === ')' ? v : undefined
    }
    if (t === '~') {
      const v = primary()
      return v === undefined ? undefined : ~v & 0xffffffffn
    }
    if (t === '-') {
      const v = primary()
      return v === undefined ? undefined : -v & 0xffffffffn
    }
    return /^(0x[0-9a-f]+|\d+)$/i.test(t) ? BigInt(t) : undefined
  }
  const PRECEDENCE = /** @type {Record<string, number>} */ ({
    '|': 1,
    '^': 2,
    '&': 3,
    '<<': 4,
    '>>': 4,
    '+': 5,
    '-': 5,
    '*': 6,
  })
  /** @returns {bigint | undefined} */
  const binary = (/** @type {number} */ min) => {
    let left = primary()
    for (;;) {
      const op = tokens[at]
      const p = op ? PRECEDENCE[op] : undefined
      if (left === undefined || p === undefined || p <= min) return left
      at++
      const right = binary(p)
      if (right === undefined) return undefined
      if (op === '|') left = left | right
      else if (op === '^') left = left ^ right
      else if (op === '&') left = left & right
      else if (op === '<<') left = left << right
      else if (op === '>>') left = left >> right
      else if (op === '+') left = left + right
      else if (op === '-') left = left - right
      else left = left * right
    }
  }
  const value = binary(0)
  if (value === undefined || at !== tokens.length) return undefined
  return Number(value & 0xffffffffn)
}

/** include/vdso/bits.h and include/linux/bits.h: macros every id table may use. */
const BUILTIN_MACROS = new Map([
  ['BIT', { params: ['nr'], body: '(1 << (nr))' }],
  ['GENMASK', { params: ['h', 'l'], body: '((~0 << (l)) & (~0 >> (31 - (h))))' }],
])
