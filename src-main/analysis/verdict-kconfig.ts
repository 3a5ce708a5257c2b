import { evalDepends } from '../catalog/kconfig-depends'
import type { KernelProfile } from '../catalog/kernel-profile-schema'
import type { SeriesDefinition } from '../catalog/series/series-schema'
import type { Change, VerdictItem } from './whatif-types'

const bare = (symbol: string) => symbol.replace(/^CONFIG_/, '')

/** Series (resources/series) that carry a change of `kind` for the symbol: what would lift a refusal. */
function seriesFor(all: readonly SeriesDefinition[], kind: string, symbol: string): string[] {
  return all
    .filter((series) =>
      series.changes.some(
        (change) => change.kind === kind && 'symbol' in change && change.symbol === symbol,
      ),
    )
    .map((series) => series.name)
}

const orSeries = (names: string[]) =>
  names.length > 0 ? ` (series ${names.join(', ')} does that: --series ${names[0]})` : ''

/**
 * What Kconfig says of setting `symbol` to the change, in the configured (and patched) kernel:
 * a `bool` cannot be m, a `select` from a symbol that is y forces it to y, a `depends on` can
 * forbid the value (scripts/kconfig/symbol.c sym_calc_value()).
 */
export function kconfigVerdict(
  profile: KernelProfile,
  symbol: string,
  change: Change,
  allSeries: readonly SeriesDefinition[],
  /** The config with the what-if's other changes made: `depends on` and `select` read it. */
  config: Record<string, 'y' | 'm' | 'n'> = profile.config,
): VerdictItem[] {
  const declared = profile.kconfig[symbol]
  const items: VerdictItem[] = []
  if (!declared) {
    items.push({
      area: 'kconfig',
      severity: 'error',
      code: 'kconfig-unknown',
      message: `${symbol} is not declared in this kernel's Kconfig`,
      source: 'the kernel profile',
      subject: symbol,
    })
    return items
  }
  const at = declared.at ?? 'Kconfig'
  const value = change === 'free' ? 'y' : change
  if (value === 'm' && declared.type !== 'tristate') {
    items.push({
      area: 'kconfig',
      severity: 'error',
      code: 'kconfig-bool',
      message: `${symbol} is ${declared.type}: it cannot be m without making it tristate${orSeries(
        seriesFor(allSeries, 'kconfig_tristate', symbol),
      )}`,
      source: at,
      subject: symbol,
    })
  }
  for (const entry of declared.selectedBy ?? []) {
    const [selector = '', condition] = entry.split(' if ')
    const selectorValue = config[`CONFIG_${selector}`]
    if (selectorValue !== 'y' && selectorValue !== 'm') continue
    if (condition && evalDepends(condition, config) === 0) continue
    // A selecting symbol that is y forces y; one that is m raises the floor to m.
    const forced = selectorValue
    const blocks = value === 'n' || (value === 'm' && forced === 'y')
    items.push({
      area: 'kconfig',
      severity: blocks ? 'error' : 'info',
      code: 'kconfig-selected',
      message: blocks
        ? `${selector}=${forced} selects ${bare(symbol)}: Kconfig forces it to ${forced}, whatever the config asks; the select must go${orSeries(
            seriesFor(allSeries, 'kconfig_unselect', symbol),
          )}`
        : `${selector}=${forced} selects ${bare(symbol)}`,
      source: profile.kconfig[`CONFIG_${selector}`]?.at ?? at,
      subject: selector,
    })
  }
  if (value !== 'n' && declared.depends) {
    const limit = evalDepends(declared.depends, { ...config, [symbol]: value })
    if (limit === 0 || (limit === 1 && value === 'y'))
      items.push({
        area: 'kconfig',
        severity: 'error',
        code: 'kconfig-depends',
        message: `${symbol}=${value} is impossible: it depends on ${declared.depends}, which is ${limit === 0 ? 'n' : 'm'} in this config`,
        source: at,
        subject: symbol,
      })
  }
  if (declared.prompt === false)
    items.push({
      area: 'kconfig',
      severity: 'info',
      code: 'kconfig-no-prompt',
      message: `${symbol} has no prompt: only a select or its default sets it`,
      source: at,
      subject: symbol,
    })
  return items
}
