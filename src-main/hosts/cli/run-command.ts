import { readFileSync } from 'node:fs'
import { deviceModalias } from '../../userspace/modalias'
import { formatTranscript } from '../../userspace/transcript'
import { parseUntil, type Until } from '../../sessions/boot-runner'
import { runScriptAt } from '../../sessions/commands-at'
import type { Command } from './commands'
import { sessionFrom, sessionOption } from './sessions-commands'
import { UsageError, UserError } from './errors'
import {
  BOOT_OPTIONS,
  bootFrom,
  FAULT_USAGE,
  SERIES_USAGE,
  requestFrom,
  userErrors,
  type Values,
} from './boot-options'

export const runCommand: Command = {
  path: ['run'],
  summary:
    "Boot, then run kernel shell commands (modprobe, rmmod, lsmod, cat /proc/modules...) and print the transcript; with --until, at that point of the boot, which then carries on to its end; exits with the last command's status",
  usage: `modlab run --profile ID|FILE.dtb [--kernel ID|DIR] [--cmdline "..."] [--config CONFIG_X=y|m|n|free]... ${SERIES_USAGE} [--coldplug none|udev|modules.load] ${FAULT_USAGE} [--until PHASE|SECONDS] (-e "cmd; cmd" | --script FILE) [--session ID] [--json]`,
  options: {
    ...BOOT_OPTIONS,
    coldplug: { type: 'string' },
    until: { type: 'string' },
    e: { type: 'string', short: 'e' },
    script: { type: 'string' },
    json: { type: 'boolean', default: false },
    ...sessionOption,
  },
  positionals: [],
  run: async (apiRequest, { values }, store) => {
    const sessionId = sessionFrom(values)
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
    const { run, records, ns, where, after } = userErrors(() => runScriptAt(request, script, until))
    const exitCode = records.at(-1)?.exitCode ?? 0
    const recorded =
      sessionId === undefined
        ? ''
        : await recordRun(apiRequest, sessionId, values as Values, request, script, run)
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
      return { stdout: `${JSON.stringify(body, null, 2)}\n`, stderr: recorded, exitCode }
    }
    if (!until) return { stdout: formatTranscript(records), stderr: recorded, exitCode }
    const tail = after.length > 0 ? `-- the boot carried on: --\n${after.join('\n')}\n` : ''
    const stdout = `-- the commands ran ${where} --\n${formatTranscript(records)}${tail}`
    return { stdout, stderr: recorded, exitCode }
  },
}

/**
 * `--session ID`: the run is recorded through the API, which runs it again on the engine (it is
 * deterministic, so it is this run) and keeps it as one action of the session.
 */
async function recordRun(
  apiRequest: Parameters<Command['run']>[0],
  sessionId: number,
  values: Values,
  request: ReturnType<typeof requestFrom>,
  script: string,
  run: { kernelProfile: { id: string }; cmdline: string; builtIn: boolean },
): Promise<string> {
  const profile = request.profile
  if (!run.builtIn)
    throw new UsageError(
      '--session records runs of profiles known by id; import the .dtb first (modlab profile import)',
    )
  const saved = (await apiRequest('lab:run', {
    sessionId,
    profile,
    kernel: run.kernelProfile.id,
    cmdline: run.cmdline,
    seed: request.seed ?? 0,
    faults: (values.fault as string[] | undefined) ?? [],
    series: request.series ?? [],
    config: request.config ?? {},
    script,
    ...(typeof values.until === 'string' ? { until: values.until } : {}),
    ...(request.coldplug ? { coldplug: request.coldplug } : {}),
  })) as { bootId: number; event: number }
  return `modlab: recorded as action ${saved.event} (boot ${saved.bootId}) of session ${sessionId}\n`
}

export const modaliasCommand: Command = {
  path: ['modalias'],
  summary:
    'Print <node path><TAB><modalias> (OF, or amba:d for a PrimeCell) for every device the kernel creates from the tree',
  usage: `modlab modalias --profile ID|FILE.dtb [--kernel ID|DIR] [--config CONFIG_X=y|m|n|free]... ${SERIES_USAGE} ${FAULT_USAGE}`,
  options: BOOT_OPTIONS,
  positionals: [],
  run: async (_request, { values }, store) => {
    const run = bootFrom(values as Values, store)
    return run.kernel.core.devices
      .map((device) => `${device.of.path}\t${deviceModalias(device) ?? ''}\n`)
      .join('')
  },
}
