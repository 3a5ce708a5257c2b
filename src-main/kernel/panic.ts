import type { Kernel } from './kernel'
import { taintString } from './module/taint'
import { versionAtLeast } from '../linux/version'

/** dump_stack_print_info() (lib/dump_stack.c): the CPU, task and kernel line of a dump. */
export function dumpStackInfo(kernel: Kernel, pid: number, comm: string): string {
  const { profile } = kernel.inputs
  // The euid is named in 6.12 [first release unverified].
  const uid = versionAtLeast(profile.version, 6, 12) ? 'UID: 0 ' : ''
  return `CPU: 0 ${uid}PID: ${pid} Comm: ${comm} ${taintedText(kernel)} ${profile.release} ${profile.utsVersion}`
}

/** panic() (kernel/panic.c): the reason, the dump unless an Oops already printed one, the end line. */
export function panic(kernel: Kernel, reason: string, dumped = false): void {
  const { board } = kernel.inputs
  kernel.markPhase('panic')
  kernel.printk('emerg', `Kernel panic - not syncing: ${reason}`)
  if (!dumped) {
    kernel.printk('emerg', dumpStackInfo(kernel, 1, 'swapper/0'))
    kernel.printk('emerg', `Hardware name: ${board.model} (DT)`)
  }
  kernel.printk('emerg', 'SMP: stopping secondary CPUs')
  kernel.printk('emerg', `---[ end Kernel panic - not syncing: ${reason} ]---`)
  kernel.outcome = { kind: 'panic', detail: reason }
}

/** print_tainted() as dump_stack shows it: `Not tainted`, or `Tainted: ` and the letters. */
function taintedText(kernel: Kernel): string {
  const letters = taintString(kernel.taints)
  return letters ? `Tainted: ${letters}` : 'Not tainted'
}
