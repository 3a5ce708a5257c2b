import { readFileSync } from 'node:fs'
import { deviceReport, type DeviceMatch } from '../../userspace/device-report'
import { ofModalias } from '../../userspace/modalias'
import { formatTranscript } from '../../userspace/transcript'
import { appRoot } from '../../paths'
import {
  BootInputError,
  parseUntil,
  runBoot,
  type BootRequest,
  type Until,
} from '../../sessions/boot-runner'
import { runScriptAt } from '../../sessions/commands-at'
import { FaultSpecError, parseFault } from '../../sessions/fault-spec'
import type { Command } from './commands'
import { UsageError, UserError } from './errors'
import { table } from './format'

const BOOT_OPTIONS = {
  profile: { type: 'string' },
  kernel: { type: 'string' },
  cmdline: { type: 'string' },
  seed: { type: 'string' },
  config: { type: 'string', multiple: true },
  fault: { type: 'string', multiple: true },
} as const

type Values = Record<string, string | boolean | string[] | undefined>

/** `--config CONFIG_FOO=m` (repeatable) as a Kconfig override map. */
function parseConfig(specs: string[]): BootRequest['config'] {
  const config: NonNullable<BootRequest['config']> = {}
  for (const spec of specs) {
    const match = /^(CONFIG_\w+)=([ymn])$/.exec(spec)
    if (!match) throw new UsageError(`--config wants CONFIG_NAME=y|m|n, got "${spec}"`)
    config[match[1] as string] = match[2] as 'y' | 'm' | 'n'
  }
  return config
}

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
function requestFrom(values: Values, store: Parameters<Command['run']>[2]): BootRequest {
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
    faults: parseFaults((values.fault as string[] | undefined) ?? []),
    coldplug: parseColdplug(values.coldplug),
    resources: `${appRoot()}/resources`,
    imported: (id) => store.profiles.get(id),
  }
}

/** A boot's input error (unknown profile, kernel, phase...) is the user's, named. */
function userErrors<T>(work: () => T): T {
  try {
    return work()
  } catch (error) {
    if (error instanceof BootInputError) throw new UserError(error.message)
    throw error
  }
}

function bootFrom(values: Values, store: Parameters<Command['run']>[2]) {
  const request = requestFrom(values, store)
  return userErrors(() => runBoot(request))
}

const FAULT_USAGE = '[--fault DRIVER:fail:ERRNO|DRIVER:defer:N|DRIVER:delay:MS]...'

export const runCommand: Command = {
  path: ['run'],
  summary:
    "Boot, then run kernel shell commands (modprobe, rmmod, lsmod, cat /proc/modules...) and print the transcript; with --until, at that point of the boot, which then carries on to its end; exits with the last command's status",
  usage: `modlab run --profile ID|FILE.dtb [--kernel ID|DIR] [--cmdline "..."] [--config CONFIG_X=y|m|n]... [--coldplug none|udev|modules.load] ${FAULT_USAGE} [--until PHASE|SECONDS] (-e "cmd; cmd" | --script FILE) [--json]`,
  options: {
    ...BOOT_OPTIONS,
    coldplug: { type: 'string' },
    until: { type: 'string' },
    e: { type: 'string', short: 'e' },
    script: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  positionals: [],
  run: async (_request, { values }, store) => {
    let script: string
    if (typeof values.e === 'string') script = values.e
    else if (typeof values.script === 'string') {
      try {
        script = readFileSync(values.script, 'utf8')
      } catch (error) {
        throw new UserError(`cannot read --script ${values.script}: ${(error as Error).message}`)
      }
    } else throw new UsageError('give the commands with -e "cmd; cmd" or --script FILE')
    const request = requestFrom(values as Values, store)
    let until: Until | undefined
    if (typeof values.until === 'string') {
      const text = values.until
      until = userErrors(() => parseUntil(text))
    }
    const { records, ns, where, after } = userErrors(() => runScriptAt(request, script, until))
    const exitCode = records.at(-1)?.exitCode ?? 0
    const commands = records.map(({ command, stdout, stderr, exitCode, kernelLines }) => ({
      command,
      stdout,
      stderr,
      exitCode,
      kernelLines,
    }))
    if (values.json) {
      // With --until, where the commands ran and what the rest of the boot printed come with them.
      const body = until ? { ranAt: { ns, where }, commands, kernelLinesAfter: after } : commands
      return { stdout: `${JSON.stringify(body, null, 2)}\n`, stderr: '', exitCode }
    }
    if (!until) return { stdout: formatTranscript(records), stderr: '', exitCode }
    const tail = after.length > 0 ? `-- the boot carried on: --\n${after.join('\n')}\n` : ''
    const stdout = `-- the commands ran ${where} --\n${formatTranscript(records)}${tail}`
    return { stdout, stderr: '', exitCode }
  },
}

export const modaliasCommand: Command = {
  path: ['modalias'],
  summary: 'Print <node path><TAB><OF modalias> for every device the kernel creates from the tree',
  usage: `modlab modalias --profile ID|FILE.dtb [--kernel ID|DIR] [--config CONFIG_X=y|m|n]... ${FAULT_USAGE}`,
  options: BOOT_OPTIONS,
  positionals: [],
  run: async (_request, { values }, store) => {
    const run = bootFrom(values as Values, store)
    return run.kernel.core.devices
      .map((device) => `${device.of.path}\t${ofModalias(device.of)}\n`)
      .join('')
  },
}

function describeMatch(match: DeviceMatch): string {
  switch (match.kind) {
    case 'builtin':
      return `${match.driver} (built in)`
    case 'of_declare':
      return `${match.driver} (${match.table.toUpperCase()}_OF_DECLARE)`
    case 'module':
      return `${match.driver ?? '?'} (module ${match.modules.join(', ')})`
    case 'none':
      return '-'
  }
}

export const devicesCommand: Command = {
  path: ['devices'],
  summary:
    'Boot, then list every device the kernel created: its state, the driver that matches it (built in or which module), why it waits',
  usage: `modlab devices --profile ID|FILE.dtb [--kernel ID|DIR] [--cmdline "..."] [--config CONFIG_X=y|m|n]... ${FAULT_USAGE} [--json]`,
  options: { ...BOOT_OPTIONS, json: { type: 'boolean', default: false } },
  positionals: [],
  run: async (_request, { values }, store) => {
    const run = bootFrom(values as Values, store)
    const devices = deviceReport(run.shell.system)
    if (values.json) return `${JSON.stringify(devices, null, 2)}\n`
    const count = (state: string) => devices.filter((device) => device.state === state).length
    return (
      table(
        ['DEVICE', 'STATE', 'MATCHED BY', 'WAITING FOR'],
        devices.map((device) => [
          device.name,
          device.state,
          describeMatch(device.match),
          device.deferReason ?? (device.errno ? `error -${device.errno}` : ''),
        ]),
      ) +
      `${devices.length} devices: ${count('bound')} bound, ${count('deferred')} deferred, ${count('failed')} failed, ${count('no-driver')} without a driver\n`
    )
  },
}
