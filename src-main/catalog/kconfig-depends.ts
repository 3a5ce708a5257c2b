/**
 * A Kconfig `depends on` expression evaluated over a build's config, as scripts/kconfig/expr.c
 * does: n, m, y are 0, 1, 2; `A && B` the lesser, `A || B` the greater, `!A` 2 - A, `A=B` and
 * `A!=B` 2 or 0. A symbol the config leaves unset is n.
 */
type Tristate = 0 | 1 | 2

const LITERALS: Record<string, Tristate> = { n: 0, m: 1, y: 2 }

export function evalDepends(
  expression: string,
  config: Record<string, string | undefined>,
): Tristate {
  const tokens = expression.match(/&&|\|\||!=|[!=()]|[\w-]+/g) ?? []
  let at = 0
  const symbol = (name: string): string => {
    if (name in LITERALS) return name
    const value = config[`CONFIG_${name}`]
    return value === 'y' || value === 'm' ? value : 'n'
  }
  const atom = (): Tristate => {
    const token = tokens[at++] ?? 'n'
    if (token === '!') return (2 - atom()) as Tristate
    if (token === '(') {
      const value = or()
      at++ // ')'
      return value
    }
    const left = symbol(token)
    if (tokens[at] === '=' || tokens[at] === '!=') {
      const equal = left === symbol(tokens[at + 1] ?? 'n')
      const negated = tokens[at] === '!='
      at += 2
      return equal !== negated ? 2 : 0
    }
    return LITERALS[left] ?? 0
  }
  const and = (): Tristate => {
    let value = atom()
    while (tokens[at] === '&&') {
      at++
      value = Math.min(value, atom()) as Tristate
    }
    return value
  }
  const or = (): Tristate => {
    let value = and()
    while (tokens[at] === '||') {
      at++
      value = Math.max(value, and()) as Tristate
    }
    return value
  }
  return or()
}
