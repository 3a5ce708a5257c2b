/** fnmatch(pattern, string, 0): `*`, `?` and `[...]` bracket expressions (with `!`/`^` and ranges). */
export function fnmatch(pattern: string, text: string): boolean {
  return matchFrom(pattern, 0, text, 0)
}

function matchFrom(pattern: string, p: number, text: string, t: number): boolean {
  while (p < pattern.length) {
    const c = pattern[p] as string
    if (c === '*') {
      while (pattern[p] === '*') p++
      if (p === pattern.length) return true
      for (let i = t; i <= text.length; i++) if (matchFrom(pattern, p, text, i)) return true
      return false
    }
    if (t >= text.length) return false
    if (c === '?') {
      p++
      t++
      continue
    }
    if (c === '[') {
      const bracket = matchBracket(pattern, p, text[t] as string)
      if (bracket === undefined) {
        if (text[t] !== '[') return false
        p++
        t++
        continue
      }
      if (!bracket.matched) return false
      p = bracket.next
      t++
      continue
    }
    if (c === '\\' && p + 1 < pattern.length) {
      if (pattern[p + 1] !== text[t]) return false
      p += 2
      t++
      continue
    }
    if (c !== text[t]) return false
    p++
    t++
  }
  return t === text.length
}

/** A bracket expression at `start`; undefined when it is not closed (then `[` is literal). */
function matchBracket(
  pattern: string,
  start: number,
  ch: string,
): { matched: boolean; next: number } | undefined {
  let p = start + 1
  const negate = pattern[p] === '!' || pattern[p] === '^'
  if (negate) p++
  let matched = false
  let first = true
  while (p < pattern.length && (first || pattern[p] !== ']')) {
    first = false
    const low = pattern[p] as string
    if (pattern[p + 1] === '-' && p + 2 < pattern.length && pattern[p + 2] !== ']') {
      const high = pattern[p + 2] as string
      if (ch >= low && ch <= high) matched = true
      p += 3
    } else {
      if (ch === low) matched = true
      p++
    }
  }
  if (p >= pattern.length) return undefined
  return { matched: matched !== negate, next: p + 1 }
}
