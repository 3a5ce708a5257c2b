import type { Kernel } from './kernel'
import { printTainted, printTaintedVerbose } from './module/taint'
import { versionAtLeast } from '../linux/version'

/**
 * dump_stack_print_info() (lib/dump_stack.c:56 in 6.12): the CPU, task and kernel line of a dump,
 * in 6.12 the taints spelt out when there are any (:70), and the hardware name.
 */
export function printDumpStackInfo(kernel: Kernel, pid: number, comm: string): void {
  const { profile, board } = kernel.inputs
  const since612 = versionAtLeast(profile.version, 6, 12)
  // The euid is named in 6.12 [first release unverified].
  const uid = since612 ? 'UID: 0 ' : ''
  kernel.printk(
    'emerg',
    `CPU: 0 ${uid}PID: ${pid} Comm: ${comm} ${printTainted(kernel.taints)} ${profile.release} ${profile.utsVersion}`,
  )
  if (since612 && kernel.taints.size > 0) kernel.printk('emerg', printTaintedVerbose(kernel.taints))
  kernel.printk('emerg', `Hardware name: ${board.model} (DT)`)
}

/** panic() (kernel/panic.c): the reason, the dump unless an Oops already printed one, the end line. */
export function panic(kernel: Kernel, reason: string, dumped = false): void {
  kernel.markPhase('panic')
  kernel.printk('emerg', `Kernel panic - not syncing: ${reason}`)
  if (!dumped) printDumpStackInfo(kernel, 1, 'swapper/0')
  kernel.printk('emerg', 'SMP: stopping secondary CPUs')
  kernel.printk('emerg', `---[ end Kernel panic - not syncing: ${reason} ]---`)
  kernel.outcome = { kind: 'panic', detail: reason }
}
