import type { ConfigChange } from '../../catalog/kernel-profile-schema'
import { appRoot } from '../../paths'
import { BootInputError, runBoot, type BootRequest } from '../../sessions/boot-runner'
import { FaultSpecError, parseFault } from '../../sessions/fault-spec'
import type { Command } from './commands'
import { UsageError, UserError } from './errors'

/** The options of the commands that boot a board (run, modalias, devices) and what they ask for. */
export const BOOT_OPTIONS = {
  profile: { type: 'string' },
  kernel: { type: 'string' },
  cmdline: { type: 'string' },
  seed: { type: 'string' },
  config: { type: 'string', multiple: true },
  series: { type: 'string', multiple: true },
  fault: { type: 'string', multiple: true },
} as const

export type Values = Record<string, string | boolean | string[] | undefined>

/**
 * `--config CONFIG_FOO=m` (repeatable) as a Kconfig override map; `free` is built in and freed at
 * the end of boot when unused (the proposal Linux does not have, kernel/free-unused.ts).
 */
export function parseConfig(specs: string[]): BootRequest['config'] {
  const config: NonNullable<BootRequest['config']> = {}
  for (const spec of specs) {
    const match = /^(CONFIG_\w+)=(y|m|n|free)$/.exec(spec)
    if (!match) throw new UsageError(`--config wants CONFIG_NAME=y|m|n|free, got "${spec}"`)
    config[match[1] as string] = match[2] as ConfigChange
  }
  return config
}

/** `--series NAME` (repeatable): the patch series to apply, in order (resources/series). */
export function parseSeries(value: Values[string]): string[] {
  const names = Array.isArray(value) ? value : value === undefined ? [] : [String(value)]
  for (const name of names)
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name))
      throw new UsageError(`--series wants a series name (see modlab series list), got "${name}"`)
  return names
}

export const SERIES_USAGE = '[--series NAME]...'

const COLDPLUG_MODES = ['none', 'udev', 'modules.load'] as const

/** `--coldplug none|udev|modules.load`: how init coldplugs modules, instead of the kernel profile's. */
function parseColdplug(value: Values[string]): BootRequest['coldplug'] {
  if (value === undefined) return undefined
  const mode = COLDPLUG_MODES.find((candidate) => candidate === value)
  if (!mode)
    throw new UsageError(`--coldplug wants none, udev or modules.load, got "${String(value)}"`)
  return mode
}

/** `--fault DRIVER:fail:ERRNO|DRIVER:defer:N|DRIVER:delay:MS` (repeatable), as `boot` takes them. */
function parseFaults(specs: string[]): BootRequest['faults'] {
  try {
    return specs.map(parseFault)
  } catch (error) {
    if (error instanceof FaultSpecError) throw new UsageError(`--${error.message}`)
    throw error
  }
}

/** The boot request the options describe. */
export function requestFrom(values: Values, store: Parameters<Command['run']>[2]): BootRequest {
  const profile = values.profile
  if (typeof profile !== 'string') throw new UsageError('--profile ID|FILE.dtb is required')
  const seed = values.seed === undefined ? '0' : String(values.seed)
  if (!/^\d+$/.test(seed)) throw new UsageError(`--seed must be a whole number, got "${seed}"`)
  return {
    profile,
    kernel: typeof values.kernel === 'string' ? values.kernel : undefined,
    cmdline: typeof values.cmdline === 'string' ? values.cmdline : undefined,
    seed: Number(seed),
    config: parseConfig((values.config as string[] | undefined) ?? []),
    series: parseSeries(values.series),
    faults: parseFaults((values.fault as string[] | undefined) ?? []),
    coldplug: parseColdplug(values.coldplug),
    resources: `${appRoot()}/resources`,
    imported: (id) => store.profiles.get(id),
  }
}

/** A boot's input error (unknown profile, kernel, phase...) is the user's, named. */
export function userErrors<T>(work: () => T): T {
  try {
    return work()
  } catch (error) {
    if (error instanceof BootInputError) throw new UserError(error.message)
    throw error
  }
}

export function bootFrom(values: Values, store: Parameters<Command['run']>[2]) {
  const request = requestFrom(values, store)
  return userErrors(() => runBoot(request))
}

export const FAULT_USAGE = '[--fault DRIVER:fail:ERRNO|DRIVER:defer:N|DRIVER:delay:MS]...'
