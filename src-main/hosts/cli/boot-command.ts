import { ERRNO, type ErrnoName } from '../../kernel/errno'
import { formatRecords, type DmesgFormat } from '../../kernel/dmesg-format'
import type { Fault } from '../../kernel/kernel'
import { appRoot } from '../../paths'
import { BootInputError, recordsUntil, runBoot } from '../../sessions/boot-runner'
import type { Command } from './commands'
import { UsageError, UserError } from './errors'

const FORMATS: DmesgFormat[] = ['text', 'raw', 'json', 'kmsg']

/** `driver:fail:EIO`, `driver:defer:3`, `driver:delay:250` (ms). */
export function parseFault(spec: string): Fault {
  const [driver, kind, value] = spec.split(':')
  if (!driver || !kind || value === undefined)
    throw new UsageError(
      `--fault "${spec}": expected DRIVER:fail:ERRNO, DRIVER:defer:TIMES or DRIVER:delay:MS`,
    )
  if (kind === 'fail') {
    if (!(value in ERRNO))
      throw new UsageError(
        `--fault "${spec}": unknown errno ${value}; known: ${Object.keys(ERRNO).join(', ')}`,
      )
    return { driver, kind, errno: value as ErrnoName }
  }
  if ((kind === 'defer' || kind === 'delay') && /^\d+$/.test(value)) {
    return kind === 'defer'
      ? { driver, kind, times: Number(value) }
      : { driver, kind, ms: Number(value) }
  }
  throw new UsageError(
    `--fault "${spec}": expected DRIVER:fail:ERRNO, DRIVER:defer:TIMES or DRIVER:delay:MS`,
  )
}

export const bootCommand: Command = {
  path: ['boot'],
  summary: 'Boot a device profile with a kernel profile and print the dmesg',
  usage:
    'modlab boot --profile ID|FILE.dtb [--kernel ID|DIR] [--cmdline "..."] [--seed N] [--until PHASE|SECONDS] [--format text|raw|json|kmsg] [--console] [--fault DRIVER:fail:ERRNO|DRIVER:defer:N|DRIVER:delay:MS]...',
  options: {
    profile: { type: 'string' },
    kernel: { type: 'string' },
    cmdline: { type: 'string' },
    seed: { type: 'string' },
    until: { type: 'string' },
    format: { type: 'string', default: 'text' },
    console: { type: 'boolean', default: false },
    fault: { type: 'string', multiple: true },
  },
  positionals: [],
  run: async (_request, { values }) => {
    const profile = values.profile
    if (typeof profile !== 'string') throw new UsageError('--profile ID|FILE.dtb is required')
    const format = String(values.format)
    if (!FORMATS.includes(format as DmesgFormat))
      throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`)
    const seedText = values.seed === undefined ? '0' : String(values.seed)
    if (!/^\d+$/.test(seedText))
      throw new UsageError(`--seed must be a whole number, got "${seedText}"`)
    const faults = ((values.fault as unknown as string[] | undefined) ?? []).map(parseFault)
    try {
      const run = runBoot({
        profile,
        kernel: typeof values.kernel === 'string' ? values.kernel : undefined,
        cmdline: typeof values.cmdline === 'string' ? values.cmdline : undefined,
        seed: Number(seedText),
        faults,
        resources: `${appRoot()}/resources`,
      })
      let records = recordsUntil(
        run.kernel,
        typeof values.until === 'string' ? values.until : undefined,
      )
      if (values.console) records = records.filter((record) => run.kernel.onConsole(record.level))
      return formatRecords(records, format as DmesgFormat)
    } catch (error) {
      if (error instanceof BootInputError) throw new UserError(error.message)
      throw error
    }
  },
}
