import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseDts } from '../src-main/hardware/dts'
import { diskResolver } from '../src-main/hardware/dts/disk-includes'
import { kernelSources } from '../tests/support/dts-sources'

/** Parsing the Dragonboard 845c's source with its includes, as `modlab profile import` does. */
export function benchDtsParse(median: (values: number[]) => number): string[] {
  const sources = kernelSources()
  if (!sources)
    return ['dts parse: skipped (run scripts/fetch-dts-sources.sh to fetch the sources)']
  const file = join(sources.dir, 'arch', 'arm64', 'boot', 'dts', 'qcom', 'sdm845-db845c.dts')
  // Each run reads the includes from disk again, as a fresh import would.
  const parse = () =>
    parseDts(file, readFileSync(file, 'utf8'), {
      resolver: diskResolver([sources.includePrefixes]),
    })
  for (let i = 0; i < 5; i++) parse()
  const ms = median(
    Array.from({ length: 15 }, () => {
      const start = performance.now()
      parse()
      return performance.now() - start
    }),
  )
  return [
    `dts parse: sdm845-db845c.dts with its includes median ${ms.toFixed(1)} ms (target <= 100 ms: ${ms <= 100 ? 'met' : 'MISSED'})`,
  ]
}
