// Make helpers for the source scanner's Kbuild reader: assignments, `$(VAR)` expansion with the
// functions Kbuild Makefiles use in object lists, and the simple conditions `ifeq`/`ifdef`.

/** `NAME op VALUE` with the operator found outside `$(...)`, or undefined. */
export function splitAssign(/** @type {string} */ line) {
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

/** Expands `$(VAR)` and the few functions Kbuild Makefiles use in object lists. */
export function expand(
  /** @type {string} */ text,
  /** @type {Map<string,string>} */ vars,
  depth = 0,
) {
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
    if (/^subst m,y,\$\(CONFIG_\w+\)$/.test(inner)) {
      out += `$(${inner})` // kept for GUARDED: built in when the symbol is m
      continue
    }
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

export function splitArgs(/** @type {string} */ text) {
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
 * A make condition (`ifeq ($(CONFIG_X),m)`, `ifdef CONFIG_X`, `!(...)`) under a config:
 * true, false, or undefined when it is not one of those forms.
 */
export function evalCond(/** @type {string} */ cond, /** @type {Record<string, string>} */ config) {
  const neg = /^!\((.*)\)$/s.exec(cond)
  if (neg) {
    const v = evalCond(neg[1] ?? '', config)
    return v === undefined ? undefined : !v
  }
  const sub = (/** @type {string} */ t) =>
    t.replace(/\$\(CONFIG_(\w+)\)/g, (_, n) => config[n] ?? '').trim()
  const eq = /^(ifeq|ifneq)\s*\(([^,]*),([^)]*)\)$/.exec(cond)
  if (eq && !/\$\((?!CONFIG_)/.test(cond)) {
    const same = sub(eq[2] ?? '') === sub(eq[3] ?? '')
    return eq[1] === 'ifeq' ? same : !same
  }
  const def = /^(ifdef|ifndef)\s+CONFIG_(\w+)$/.exec(cond)
  if (def) return (config[def[2] ?? ''] !== undefined) === (def[1] === 'ifdef')
  return undefined
}
