import { readFileSync } from 'node:fs'
import { deviceModalias } from '../../userspace/modalias'
import { formatTranscript } from '../../userspace/transcript'
import { parseUntil, type Until } from '../../sessions/boot-runner'
import { runScriptAt } from '../../sessions/commands-at'
import type { Command } from './commands'
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
  usage: `modlab run --profile ID|FILE.dtb [--kernel ID|DIR] [--cmdline "..."] [--config CONFIG_X=y|m|n]... ${SERIES_USAGE} [--coldplug none|udev|modules.load] ${FAULT_USAGE} [--until PHASE|SECONDS] (-e "cmd; cmd" | --script FILE) [--json]`,
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
  summary:
    'Print <node path><TAB><modalias> (OF, or amba:d for a PrimeCell) for every device the kernel creates from the tree',
  usage: `modlab modalias --profile ID|FILE.dtb [--kernel ID|DIR] [--config CONFIG_X=y|m|n]... ${SERIES_USAGE} ${FAULT_USAGE}`,
  options: BOOT_OPTIONS,
  positionals: [],
  run: async (_request, { values }, store) => {
    const run = bootFrom(values as Values, store)
    return run.kernel.core.devices
      .map((device) => `${device.of.path}\t${deviceModalias(device) ?? ''}\n`)
      .join('')
  },
}
