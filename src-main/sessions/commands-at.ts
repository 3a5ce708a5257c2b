import { NSEC_PER_SEC } from '../kernel/clock'
import { formatText, formatTimestamp } from '../kernel/dmesg-format'
import type { CommandRecord, Shell } from '../userspace/shell'
import {
  findPhase,
  runBoot,
  unknownPhase,
  type BootRequest,
  type BootRun,
  type Until,
} from './boot-runner'

/** Where the commands ran, and what the rest of the boot printed after them. */
export interface ScriptRun {
  run: BootRun
  records: CommandRecord[]
  /** The virtual time the commands started at. */
  ns: number
  /** Why there: the point asked for, or the first point userspace exists after it. */
  where: string
  /** The kernel lines the boot printed after the commands, as it carried on to its end. */
  after: string[]
}

/**
 * Boots and runs a script at a point of the boot: userspace exists from init (after coldplug),
 * so an earlier phase or time runs the commands there; a later time first lets the kernel's
 * timers due by then fire; `end` (or no point) runs them after every pending timer. Then the
 * boot carries on to its end, so what the commands changed changes what the timers do (the
 * deferred-probe timeout, 10 s after late_initcall with modules).
 */
export function runScriptAt(
  request: BootRequest,
  script: string,
  until: Until | undefined,
): ScriptRun {
  let records: CommandRecord[] | undefined
  let ns = 0
  let where = ''
  let logMark = 0
  const runHere = (shell: Shell, why: string) => {
    const kernel = shell.system.kernel
    ns = kernel.clock.now
    where = why
    records = shell.run(script)
    logMark = kernel.log.records.length
  }
  const atUserspace = (shell: Shell) => {
    if (!until) return
    const kernel = shell.system.kernel
    const now = kernel.clock.now
    const init = `when init started, ${seconds(now)}`
    if ('seconds' in until) {
      const at = Math.round(until.seconds * NSEC_PER_SEC)
      if (at <= now)
        return runHere(shell, `${init} (--until ${until.seconds}: userspace did not exist yet)`)
      kernel.timers.run(at)
      kernel.clock.advance(at - kernel.clock.now)
      return runHere(shell, `at ${seconds(at)} (--until ${until.seconds})`)
    }
    const mark = findPhase(kernel, until.phase)
    if (!mark) return
    if (mark.phase === 'init' || mark.phase === 'coldplug')
      return runHere(shell, `${init} (--until ${until.phase})`)
    runHere(
      shell,
      `${init} (--until ${until.phase}: ${mark.phase} began at ${seconds(mark.ns)}, before userspace existed)`,
    )
  }
  const run = runBoot({ ...request, atUserspace })
  const kernel = run.kernel
  if (!records) {
    if (until && 'phase' in until && until.phase !== 'end' && !findPhase(kernel, until.phase)) {
      throw unknownPhase(kernel, until.phase)
    }
    const reached = kernel.phases.some((mark) => mark.phase === 'init')
    const end = `at the end of the boot, ${seconds(kernel.clock.now)}`
    const asked = until && ('phase' in until ? until.phase : until.seconds)
    const why = !until
      ? end
      : reached
        ? `${end} (--until ${asked})`
        : `${end} (--until ${asked}: the boot never reached init, ${kernel.outcome.kind})`
    runHere(run.shell, why)
  }
  const after = kernel.log.records.slice(logMark).map((record) => formatText(record))
  return { run, records: records ?? [], ns, where, after }
}

const seconds = (ns: number): string => `${formatTimestamp(ns).slice(1, -1).trim()} s`
