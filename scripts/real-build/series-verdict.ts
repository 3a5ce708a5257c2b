// The symbol part of a patched tree's build: a series is data without diffs, so the honest
// measure is modpost run again on the same objects with a Module.symvers that also holds the
// exports the series adds (KBUILD_EXTRA_SYMBOLS), and the core's __init markings it removes
// taken off the classification.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SeriesChange, SeriesDefinition } from '../../src-main/catalog/series/series-schema'
import { type BuildRequest, type DriverEntry, runMake, type Variant } from './kbuild-run'
import type { Export } from './symbols'

function changesOf(series: SeriesDefinition): SeriesChange[] {
  return [...series.prerequisites.flatMap((p) => p.changes), ...series.changes]
}

/** Whether a series is about this driver: its Kconfig symbol, its modules, or a symbol it needs. */
function touches(series: SeriesDefinition, entry: DriverEntry, needed: Set<string>): boolean {
  const modules = new Set(entry.modules.map((module) => module.name))
  return changesOf(series).some((change) => {
    switch (change.kind) {
      case 'export':
      case 'remove_init':
        return needed.has(change.symbol)
      case 'kconfig_tristate':
      case 'kconfig_unselect':
        return change.symbol === `CONFIG_${entry.kconfig}`
      case 'registration':
      case 'module_owner':
      case 'module_exit':
        return modules.has(change.module)
      case 'code':
        return entry.modules.some((module) => module.sources.includes(change.file))
    }
  })
}

export function seriesVerdicts(input: {
  allSeries: SeriesDefinition[]
  entry: DriverEntry
  needed: Set<string>
  symvers: Map<string, Export>
  request: BuildRequest
  base: Variant
  work: string
}) {
  const { entry, needed, symvers, request, base } = input
  return input.allSeries
    .filter((series) => series.appliesTo.length > 0 && touches(series, entry, needed))
    .map((series) => {
      const changes = changesOf(series)
      const exportsAdded = changes
        .filter((change) => change.kind === 'export')
        .map((change) => ({
          symbol: change.symbol,
          gpl: change.gpl,
          ...(change.namespace ? { namespace: change.namespace } : {}),
        }))
        .sort((a, b) => a.symbol.localeCompare(b.symbol))
      const initRemoved = changes
        .filter((change) => change.kind === 'remove_init')
        .map((change) => change.symbol)
        .sort()
      const extra = join(input.work, `${series.name}.symvers`)
      writeFileSync(
        extra,
        exportsAdded
          .map(
            (e) =>
              `0x00000000\t${e.symbol}\tvmlinux\tEXPORT_SYMBOL${e.gpl ? '_GPL' : ''}\t${e.namespace ?? ''}\n`,
          )
          .join(''),
      )
      const output = runMake({ ...request, extraSymbols: extra })
      const theirExports = new Set(readExports(join(request.dir, 'Module.symvers')))
      const stillMissing = [...needed]
        .filter(
          (symbol) =>
            !symvers.has(symbol) &&
            !theirExports.has(symbol) &&
            !exportsAdded.some((e) => e.symbol === symbol),
        )
        .sort()
      return {
        name: series.name,
        base,
        exportsAdded,
        initRemoved,
        command: output.command.replace(extra, `$WORK/${series.name}.symvers`),
        modpost: output.modpost.map((line) => line.split(extra).join(`${series.name}.symvers`)),
        stillMissing,
      }
    })
}

function readExports(path: string): string[] {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .map((line) => line.split('\t')[1])
      .filter((symbol): symbol is string => Boolean(symbol))
  } catch {
    return []
  }
}
