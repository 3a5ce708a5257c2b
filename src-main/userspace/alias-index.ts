import { fnmatch } from './fnmatch'

/** alias_normalize(): dashes become underscores, except inside bracket expressions. */
export function normalizeAlias(alias: string): string {
  if (!alias.includes('-')) return alias
  let out = ''
  let inBracket = false
  for (const ch of alias) {
    if (ch === '[') inBracket = true
    if (ch === ']') inBracket = false
    out += ch === '-' && !inBracket ? '_' : ch
  }
  return out
}

interface AliasEntry {
  /** Line order in modules.alias. */
  index: number
  pattern: string
  module: string
}

/**
 * modules.alias searched as kmod searches its index, but without reading 30,000 patterns for
 * every device: OF patterns (`of:N*T*C<compatible>` and `…C<compatible>C*`) are found by the
 * compatibles in the wanted alias; every other pattern is tried only when its longest literal
 * part occurs in the alias. The answer, in modules.alias order, is what fnmatch over every line gives.
 */
export class AliasIndex {
  private readonly byCompatible = new Map<string, AliasEntry[]>()
  /** The other patterns by their first three characters (`pci`, `usb`), or `*` when those hold a wildcard. */
  private readonly others = new Map<string, { entry: AliasEntry; literal: string }[]>()

  constructor(aliasFile: string) {
    let index = 0
    for (const line of aliasFile.split('\n')) {
      if (!line.startsWith('alias ')) continue
      const [, pattern = '', module = ''] = line.split(' ')
      const entry = { index: index++, pattern: normalizeAlias(pattern), module }
      const compatible = ofCompatible(entry.pattern)
      if (compatible !== undefined) {
        const list = this.byCompatible.get(compatible)
        if (list) list.push(entry)
        else this.byCompatible.set(compatible, [entry])
      } else {
        const head = /[*?[]/.test(entry.pattern.slice(0, 3)) ? '*' : entry.pattern.slice(0, 3)
        const list = this.others.get(head) ?? []
        list.push({ entry, literal: longestLiteral(entry.pattern) })
        this.others.set(head, list)
      }
    }
  }

  /** The modules whose patterns match `key` (already normalized), in modules.alias order. */
  match(key: string): string[] {
    const found: AliasEntry[] = []
    if (key.startsWith('of:')) {
      const compatibles = key.slice(key.indexOf('C', key.indexOf('T')) + 1).split('C')
      // A compatible may itself hold a `C`: try every tail of the list as one string too.
      for (let i = 0; i < compatibles.length; i++) {
        for (let j = i + 1; j <= compatibles.length; j++) {
          for (const entry of this.byCompatible.get(compatibles.slice(i, j).join('C')) ?? [])
            if (fnmatch(entry.pattern, key)) found.push(entry)
        }
      }
    }
    for (const head of [key.slice(0, 3), '*'])
      for (const { entry, literal } of this.others.get(head) ?? [])
        if (key.includes(literal) && fnmatch(entry.pattern, key)) found.push(entry)
    const modules: string[] = []
    for (const entry of found.sort((a, b) => a.index - b.index))
      if (!modules.includes(entry.module)) modules.push(entry.module)
    return modules
  }
}

const OF_PREFIX = 'of:N*T*C'
const WILDCARD = /[*?[\]]/

/** The compatible of an OF pattern `of:N*T*C<compatible>` or `…C<compatible>C*`, else undefined. */
function ofCompatible(pattern: string): string | undefined {
  if (!pattern.startsWith(OF_PREFIX)) return undefined
  const end = pattern.endsWith('C*') ? pattern.length - 2 : pattern.length
  const compatible = pattern.slice(OF_PREFIX.length, end)
  return compatible.length > 0 && !WILDCARD.test(compatible) ? compatible : undefined
}

function longestLiteral(pattern: string): string {
  let best = ''
  for (const part of pattern.split(/\[[^\]]*\]|[*?]/)) if (part.length > best.length) best = part
  return best
}
