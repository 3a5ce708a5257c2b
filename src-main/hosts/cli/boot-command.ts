import { formatRecords, type DmesgFormat } from '../../kernel/dmesg-format'
import { appRoot } from '../../paths'
import { BootInputError, recordsUntil, runBoot } from '../../sessions/boot-runner'
import { FaultSpecError, parseFault } from '../../sessions/fault-spec'
import { parseConfig, parseSeries, SERIES_USAGE } from './boot-options'
import type { Command } from './commands'
import { sessionFrom, sessionOption } from './sessions-commands'
import { UsageError, UserError } from './errors'

const FORMATS: DmesgFormat[] = ['text', 'raw', 'json', 'kmsg']

export const bootCommand: Command = {
  path: ['boot'],
  summary: 'Boot a device profile with a kernel profile and print the dmesg',
  usage: `modlab boot --profile ID|FILE.dtb [--kernel ID|DIR] [--cmdline "..."] [--seed N] [--config CONFIG_X=y|m|n|free]... ${SERIES_USAGE} [--until PHASE|SECONDS] [--format text|raw|json|kmsg] [--console] [--fault DRIVER:fail:ERRNO|DRIVER:defer:N|DRIVER:delay:MS]... [--save | --session ID]`,
  options: {
    profile: { type: 'string' },
    kernel: { type: 'string' },
    cmdline: { type: 'string' },
    seed: { type: 'string' },
    until: { type: 'string' },
    format: { type: 'string', default: 'text' },
    console: { type: 'boolean', default: false },
    fault: { type: 'string', multiple: true },
    config: { type: 'string', multiple: true },
    series: { type: 'string', multiple: true },
    save: { type: 'boolean', default: false },
    ...sessionOption,
  },
  positionals: [],
  run: async (request, { values }, store) => {
    const profile = values.profile
    if (typeof profile !== 'string') throw new UsageError('--profile ID|FILE.dtb is required')
    const format = String(values.format)
    if (!FORMATS.includes(format as DmesgFormat))
      throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`)
    const seedText = values.seed === undefined ? '0' : String(values.seed)
    if (!/^\d+$/.test(seedText))
      throw new UsageError(`--seed must be a whole number, got "${seedText}"`)
    let faults
    try {
      faults = ((values.fault as unknown as string[] | undefined) ?? []).map(parseFault)
    } catch (error) {
      if (error instanceof FaultSpecError) throw new UsageError(`--${error.message}`)
      throw error
    }
    const config = parseConfig((values.config as unknown as string[] | undefined) ?? [])
    const series = parseSeries(values.series)
    const sessionId = sessionFrom(values)
    if (sessionId !== undefined && values.save)
      throw new UsageError(
        '--save starts a new session and --session ID names one: give one of them',
      )
    try {
      const run = runBoot({
        profile,
        config,
        series,
        kernel: typeof values.kernel === 'string' ? values.kernel : undefined,
        cmdline: typeof values.cmdline === 'string' ? values.cmdline : undefined,
        seed: Number(seedText),
        faults,
        resources: `${appRoot()}/resources`,
        imported: (id) => store.profiles.get(id),
      })
      let records = recordsUntil(
        run.kernel,
        typeof values.until === 'string' ? values.until : undefined,
      )
      if (values.console) records = records.filter((record) => run.kernel.onConsole(record.level))
      const stdout = formatRecords(records, format as DmesgFormat)
      if (!values.save && sessionId === undefined) return stdout
      if (!run.builtIn)
        throw new UsageError(
          `--${values.save ? 'save' : 'session'} records boots of profiles known by id; import the .dtb first (modlab profile import)`,
        )
      const session =
        sessionId ??
        (
          (await request('sessions:create', {
            name: `${profile} · ${run.kernelProfile.id}`,
          })) as { id: number }
        ).id
      // The engine is deterministic: the recorded boot is this one, re-run through the validated API.
      const saved = (await request('lab:boot', {
        sessionId: session,
        profile,
        kernel: run.kernelProfile.id,
        cmdline: run.cmdline,
        seed: Number(seedText),
        faults: (values.fault as unknown as string[] | undefined) ?? [],
        series,
        config,
      })) as { bootId: number; sessionId: number }
      return {
        stdout,
        stderr: `modlab: saved as boot ${saved.bootId} in session ${saved.sessionId}\n`,
      }
    } catch (error) {
      if (error instanceof BootInputError) throw new UserError(error.message)
      throw error
    }
  },
}
