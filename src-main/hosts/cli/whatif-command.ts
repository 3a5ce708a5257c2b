import type { Change } from '../../analysis/whatif-types'
import type { LoadTime, WhatIfResult } from '../../analysis/whatif-types'
import { parseSeries, SERIES_USAGE } from './boot-options'
import type { Command } from './commands'
import { UsageError } from './errors'
import { asJson } from './format'
import { sessionFrom, sessionOption } from './sessions-commands'
import { whatIfReasons, whatIfText } from './whatif-format'

/** `--config CONFIG_X=y|m|n|free` (repeatable): the change asked of each symbol. */
function parseChanges(specs: string[]): Record<string, Change> {
  if (specs.length === 0) throw new UsageError('--config CONFIG_X=m|y|n|free is required')
  const changes: Record<string, Change> = {}
  for (const spec of specs) {
    const match = /^(CONFIG_\w+)=(y|m|n|free)$/.exec(spec)
    if (!match) throw new UsageError(`--config wants CONFIG_NAME=y|m|n|free, got "${spec}"`)
    changes[match[1] as string] = match[2] as Change
  }
  return changes
}

/** `--load coldplug|never|at=SECONDS`: when boot B loads the changed module. */
function parseLoad(value: unknown): LoadTime {
  if (value === undefined || value === 'coldplug') return { kind: 'coldplug' }
  if (value === 'never') return { kind: 'never' }
  const at = /^at=(\d+(?:\.\d+)?)$/.exec(String(value))
  if (at) return { kind: 'at', seconds: Number(at[1]) }
  throw new UsageError(`--load wants coldplug, never or at=SECONDS, got "${String(value)}"`)
}

/** The kernel the questions are about (the built-in profiles' default is the older 6.1). */
const DEFAULT_KERNEL = 'debian-6.12-arm64'

export const whatifCommand: Command = {
  path: ['whatif'],
  summary:
    'Ask what a Kconfig change does: the build verdict, boot A against boot B, memory across boards',
  usage: `modlab whatif --profile ID|all [--kernel ID] --config CONFIG_X=m|y|n|free... ${SERIES_USAGE} [--load coldplug|never|at=SECONDS] [--session ID] [--json]`,
  options: {
    profile: { type: 'string', multiple: true },
    kernel: { type: 'string' },
    config: { type: 'string', multiple: true },
    series: { type: 'string', multiple: true },
    load: { type: 'string' },
    ...sessionOption,
    json: { type: 'boolean', default: false },
  },
  positionals: [],
  run: async (request, { values }) => {
    const profiles = (values.profile as unknown as string[] | undefined) ?? []
    if (profiles.length === 0) throw new UsageError('--profile ID|all is required')
    const changes = parseChanges((values.config as unknown as string[] | undefined) ?? [])
    const sessionId = sessionFrom(values)
    const result = (await request('whatif:run', {
      ...(sessionId !== undefined ? { sessionId } : {}),
      profiles: profiles.includes('all') ? 'all' : profiles,
      kernel: typeof values.kernel === 'string' ? values.kernel : DEFAULT_KERNEL,
      changes,
      series: parseSeries(values.series),
      load: parseLoad(values.load),
    })) as WhatIfResult
    const stdout = values.json ? asJson(result) : whatIfText(result)
    if (result.ok) return stdout
    const reasons = whatIfReasons(result)
    return {
      stdout,
      stderr: reasons.map((reason) => `modlab: ${reason}\n`).join(''),
      exitCode: 1,
    }
  },
}
