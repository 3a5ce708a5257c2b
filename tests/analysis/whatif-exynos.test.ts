import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runWhatIf } from '../../src-main/analysis/whatif'
import type { VerdictItem } from '../../src-main/analysis/whatif-types'
import {
  isCoreInit,
  loadRealBuild,
  realBuildOf,
  runningBuild,
  type RealBuildDriver,
} from '../../src-main/catalog/real-build'
import { loadSeries } from '../../src-main/catalog/series/series-loader'
import { ROOT } from '../kernel/helpers'

/**
 * Issue 13: the what-if's verdict on "the Exynos SoC drivers" as modules on Pixel 6 agrees with
 * what a real 6.12 build of each recorded (resources/real-build/6.12.json, made by
 * scripts/real-build): the Kconfig reasons, every symbol modpost finds undefined, every reference
 * to core __init code, modpost's own complaints; with and without McVicker's 2021 series. The
 * expectations are read from the record, not copied from the what-if.
 */
const RESOURCES = join(ROOT, 'resources')
const SERIES = 'mcvicker-2021-exynos-select'
const EXYNOS = [
  'EXYNOS_PMU',
  'EXYNOS_CHIPID',
  'PINCTRL_SAMSUNG',
  'PINCTRL_EXYNOS',
  'PINCTRL_EXYNOS_ARM64',
  'COMMON_CLK_SAMSUNG',
  'EXYNOS_ARM64_COMMON_CLK',
  'EXYNOS_PM_DOMAINS',
  'EXYNOS_CLKOUT',
  'EXYNOS_USI',
  'CLKSRC_EXYNOS_MCT',
]
const mcvicker = loadSeries(join(RESOURCES, 'series')).find((series) => series.name === SERIES)

const sorted = (values: Iterable<string>) => [...new Set(values)].sort()
const subjects = (items: readonly VerdictItem[], code: string) =>
  sorted(items.filter((item) => item.code === code).map((item) => item.subject ?? ''))

function record(symbol: string): RealBuildDriver {
  const driver = realBuildOf(RESOURCES, '6.12', symbol)
  if (!driver) throw new Error(`resources/real-build/6.12.json has no build of ${symbol}`)
  return driver
}

/** What the record says a module build of the driver needs once its code runs. */
function recorded(driver: RealBuildDriver, withSeries: boolean) {
  const build = runningBuild(driver)
  const facts = new Map(driver.symbols.map((symbol) => [symbol.symbol, symbol]))
  const needed = driver.modules.flatMap(({ name }) => build.modules[name]?.undefined ?? [])
  const series = withSeries ? driver.series.find((s) => s.name === SERIES) : undefined
  const unexported = needed.filter((name) => facts.get(name)?.export === null)
  const dir = driver.makefile.replace(/\/Makefile$/, '')
  return {
    build,
    undefined: sorted(series ? series.stillMissing : unexported),
    init: sorted(
      needed.filter((name) => {
        const fact = facts.get(name)
        return fact && isCoreInit(fact) && !series?.initRemoved.includes(name)
      }),
    ),
    mismatches: build.modpost.filter((line) => /section mismatch/.test(line)),
    unlicensed: driver.asIs.modpost
      .filter((line) => line.includes('missing MODULE_LICENSE'))
      .map((line) => line.replace(/\$M\//g, `${dir}/`)),
  }
}

/** The Kconfig reasons the record's facts give, less what the series changes. */
function kconfigReasons(driver: RealBuildDriver, withSeries: boolean) {
  const config = `CONFIG_${driver.kconfig}`
  const changes = withSeries ? (mcvicker?.changes ?? []) : []
  const tristate = changes.some((c) => c.kind === 'kconfig_tristate' && c.symbol === config)
  const unselected = (by: string) =>
    changes.some(
      (c) => c.kind === 'kconfig_unselect' && c.symbol === config && c.by === `CONFIG_${by}`,
    )
  return {
    bool: driver.kconfigFacts.type === 'bool' && !tristate,
    selected: driver.kconfigFacts.selectedBy
      .filter((entry) => entry.value === 'y' && !unselected(entry.by))
      .map((entry) => `${entry.by} ${entry.at}`)
      .sort(),
  }
}

describe('the Exynos SoC drivers as modules on Pixel 6, against a real 6.12 build', () => {
  it('the record holds a build of each driver, and the series', () => {
    expect(loadRealBuild(RESOURCES, '6.12')?.drivers.map((d) => d.kconfig)).toEqual(
      expect.arrayContaining(EXYNOS),
    )
    expect(mcvicker?.appliesTo).toContain('6.12')
  })

  for (const withSeries of [false, true])
    for (const symbol of EXYNOS)
      it(`CONFIG_${symbol}=m ${withSeries ? `with ${SERIES}` : 'on 6.12 as is'}`, () => {
        const driver = record(symbol)
        const result = runWhatIf({
          profiles: ['pixel6-oriole'],
          kernel: 'debian-6.12-arm64',
          resources: RESOURCES,
          changes: { [`CONFIG_${symbol}`]: 'm' },
          series: withSeries ? [SERIES] : [],
        })
        const items = result.verdicts[0]?.items ?? []
        const expected = recorded(driver, withSeries)
        const kconfig = kconfigReasons(driver, withSeries)

        // Kconfig: bool, and each select that forces it (with the line of the selecting symbol).
        const bool = items.filter((item) => item.code === 'kconfig-bool')
        expect(bool.map((item) => item.source)).toEqual(
          kconfig.bool ? [driver.kconfigFacts.at] : [],
        )
        const selected = items
          .filter((item) => item.code === 'kconfig-selected' && item.severity === 'error')
          .map((item) => `${item.subject} ${item.source}`)
          .sort()
        expect(selected).toEqual(kconfig.selected)

        // Symbols: what modpost finds undefined, the core __init code it would reference.
        expect(subjects(items, 'undefined')).toEqual(expected.undefined)
        expect(subjects(items, 'init-reference')).toEqual(expected.init)
        for (const line of expected.build.modpost) {
          const name = /"(\w+)" \[.*\] undefined!$/.exec(line)?.[1]
          if (name && !withSeries) expect(expected.undefined).toContain(name)
        }
        expect(
          items.filter((item) => item.code === 'section-mismatch').map((item) => item.message),
        ).toHaveLength(expected.mismatches.length)
        // The sources as they are: modpost's missing MODULE_LICENSE, named per object.
        if (!withSeries)
          expect(
            items
              .filter((item) => /missing MODULE_LICENSE/.test(item.message))
              .map((item) => item.message)
              .sort(),
          ).toEqual([...expected.unlicensed].sort())
        expect(items.find((item) => item.code === 'no-build-record')).toBeUndefined()
        // Unload: a .ko with init_module and no cleanup_module stays [permanent].
        const permanent = driver.modules
          .filter(({ name }) => expected.build.modules[name]?.hasInit)
          .filter(({ name }) => !expected.build.modules[name]?.hasExit)
          .map(({ name }) => name)
        expect(subjects(items, 'permanent')).toEqual(sorted(permanent))

        // The verdict builds only when the record and Kconfig let it.
        const clean =
          !kconfig.bool &&
          kconfig.selected.length === 0 &&
          expected.undefined.length === 0 &&
          expected.init.length === 0
        if (!clean) expect(result.verdicts[0]?.builds).toBe(false)
        if (clean && !withSeries) expect(result.verdicts[0]?.builds).toBe(true)

        // Memory: Debian's own .ko when it ships one, else the record's .ko files, each of them.
        const table = result.memory.tables.find((t) => t.symbol === `CONFIG_${symbol}`)?.table
        expect(table, 'a memory table').toBeDefined()
        if (driver.kconfigFacts.value !== 'm') {
          const sections = driver.modules.map(({ name }) => expected.build.modules[name]?.sections)
          const total = (key: string) => sections.reduce((sum, s) => sum + (s?.[key] ?? 0), 0)
          expect(table?.sizes.text).toBe(total('.text'))
          expect(table?.sizes.rodata).toBe(total('.rodata'))
          expect(table?.sizes.initText).toBe(total('.init.text'))
          expect(table?.sizes.parts?.length ?? 1).toBe(driver.modules.length)
        }
      })

  it('every Exynos driver at once: each select weighed against the others, the memory of each', () => {
    const changes = Object.fromEntries(EXYNOS.map((symbol) => [`CONFIG_${symbol}`, 'm' as const]))
    const result = runWhatIf({
      profiles: ['pixel6-oriole'],
      kernel: 'debian-6.12-arm64',
      resources: RESOURCES,
      changes,
    })
    expect(result.verdicts.map((verdict) => verdict.symbol)).toEqual(Object.keys(changes))
    for (const symbol of EXYNOS) {
      const items = result.verdicts.find((v) => v.symbol === `CONFIG_${symbol}`)?.items ?? []
      // A select by a symbol that is m too only raises the floor to m: no longer a refusal.
      const forcing = record(symbol)
        .kconfigFacts.selectedBy.filter(
          (entry) => entry.value === 'y' && !EXYNOS.includes(entry.by),
        )
        .map((entry) => entry.by)
        .sort()
      const refusals = items.filter((i) => i.code === 'kconfig-selected' && i.severity === 'error')
      expect(refusals.map((item) => item.subject).sort(), symbol).toEqual(forcing)
    }
    // Memory: a table for every driver, and what splitting them into 11 modules costs in pages.
    expect(result.memory.unknown).toEqual([])
    expect(result.memory.tables.map((t) => t.symbol)).toEqual(Object.keys(changes))
    for (const page of [4096, 16384, 65536])
      expect(result.memory.splitCost?.[page] ?? 0).toBeGreaterThan(0)
    const pixel6 = (symbol: string) =>
      result.memory.tables
        .find((t) => t.symbol === symbol)
        ?.table.boards.find((row) => row.board === 'pixel6-oriole')
    // The gs101 clock and pin controllers, the PMU and the USIs are on the board, and the code
    // they call (pinctrl-exynos, the Samsung clock core); chipid is not.
    const used = [
      'EXYNOS_ARM64_COMMON_CLK',
      'COMMON_CLK_SAMSUNG',
      'PINCTRL_SAMSUNG',
      'PINCTRL_EXYNOS',
      'PINCTRL_EXYNOS_ARM64',
      'EXYNOS_PMU',
      'EXYNOS_USI',
    ]
    for (const symbol of used)
      expect(pixel6(`CONFIG_${symbol}`)?.uses.length, symbol).toBeGreaterThan(0)
    expect(pixel6('CONFIG_EXYNOS_CHIPID')?.uses).toEqual([])
    // No other board loads any of them.
    for (const { symbol, table } of result.memory.tables)
      for (const row of table.boards.filter((r) => r.board !== 'pixel6-oriole'))
        expect(row.uses, `${symbol} on ${row.board}`).toEqual([])
    expect(result.ok).toBe(false)
  })
})
