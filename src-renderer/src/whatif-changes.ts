/** A what-if's change of one Kconfig symbol, as the form offers it. */
export type ChangeValue = 'm' | 'y' | 'n' | 'free'
const CHANGES: readonly ChangeValue[] = ['m', 'y', 'n', 'free']

/**
 * The form's "what if" field: one symbol or module, or several separated by commas or spaces,
 * each taking the form's change unless it names its own (`CONFIG_DMABUF_HEAPS=y`, as --config).
 */
export function whatIfChanges(text: string, change: ChangeValue): Record<string, ChangeValue> {
  const changes: Record<string, ChangeValue> = {}
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    const [target = '', value] = entry.split('=', 2)
    const own = CHANGES.find((known) => known === value)
    if (value !== undefined && !own)
      throw new Error(`${entry}: a symbol can be made m, y, n or free, not "${value}"`)
    changes[target] = own ?? change
  }
  return changes
}
