import { NSEC_PER_SEC } from './clock'
import type { ClockEventDevice } from './clockevents'
import type { Kernel } from './kernel'
import { moduleFlags } from './module/taint'
import { panic, printDumpStackInfo } from './panic'

/**
 * Where modlab puts a module's text: in arm64's module region below the kernel image (6.12,
 * arch/arm64/kernel/module.c), without KASLR, a page-aligned place drawn from the module's name.
 */
export function moduleTextAddress(name: string): bigint {
  let hash = 0x811c9dc5
  for (const char of name) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0
  return 0xffff800078000000n + (BigInt(hash) % 0x4000n) * 0x1000n
}

/**
 * A call into the text of a module that is gone: the instruction fetch faults, die_kernel_fault()
 * (arch/arm64/mm/fault.c) and __die() (arch/arm64/kernel/traps.c:190) print the Oops, and the
 * kernel cannot go on. A CPU's tick device is called from its timer interrupt (panic "Fatal
 * exception in interrupt", traps.c:232); the broadcast device is programmed by the idle task
 * going into deep idle, which dies and cannot exit ("Attempted to kill the idle task!",
 * kernel/exit.c make_task_dead()).
 */
export function oopsInFreedModule(
  kernel: Kernel,
  dev: ClockEventDevice,
  inInterrupt: boolean,
): void {
  const address = moduleTextAddress(dev.code ?? '').toString(16)
  // ESR_ELx of an instruction abort at EL1 with a level 3 translation fault (IL set).
  const esr = '0000000086000007'
  const alert = (text: string) => kernel.printk('alert', text)
  alert(`Unable to handle kernel paging request at virtual address ${address}`)
  alert('Mem abort info:')
  alert(`  ESR = 0x${esr}`)
  alert('  EC = 0x21: IABT (current EL), IL = 32 bits')
  alert('  SET = 0, FnV = 0')
  alert('  EA = 0, S1PTW = 0')
  alert('  FSC = 0x07: level 3 translation fault')
  kernel.printk('emerg', `Internal error: Oops: ${esr} [#1] SMP`)
  kernel.printk('warning', `Modules linked in:${modulesLinkedIn(kernel)}`)
  printDumpStackInfo(kernel, 0, 'swapper/0')
  // The callback's symbol went with the module: %pS prints the bare address. show_regs()' other
  // lines (lr, registers, call trace) would need offsets modlab does not have.
  kernel.printk('emerg', `pc : 0x${address}`)
  // die() taints the kernel once __die() printed the dump (arch/arm64/kernel/traps.c:228).
  kernel.taints.add('D')
  // oops_exit() -> print_oops_end_marker() (kernel/panic.c:753).
  kernel.printk('warning', '---[ end trace 0000000000000000 ]---')
  panic(
    kernel,
    inInterrupt ? 'Oops: Fatal exception in interrupt' : 'Attempted to kill the idle task!',
    true,
  )
}

/** print_modules() (kernel/module/main.c): each live module and its flags, then the last unloaded. */
function modulesLinkedIn(kernel: Kernel): string {
  const loader = kernel.modules
  if (!loader) return ''
  let text = loader.list
    .filter((module) => module.state !== 'unformed')
    .map((module) => ` ${module.name}${moduleFlags(module)}`)
    .join('')
  if (loader.lastUnloaded)
    text += ` [last unloaded: ${loader.lastUnloaded.name}${loader.lastUnloaded.taints}]`
  return text
}

/**
 * A module's text is freed: a clock event device still in use calls into it at its next event,
 * and that call faults (a forced unload, or a driver that pinned nothing with .owner unset).
 */
export function callIntoFreedModule(kernel: Kernel, name: string): void {
  const [dev] = kernel.timekeeping.devicesUsingModule(name)
  if (!dev) return
  const ce = kernel.timekeeping.clockevents
  const tickNs = NSEC_PER_SEC / kernel.inputs.profile.hz
  const inInterrupt = !ce.broadcast.evtdev || ce.broadcast.evtdev !== dev
  kernel.timers.add((Math.floor(kernel.clock.now / tickNs) + 1) * tickNs, () => {
    if (kernel.outcome.kind === 'running') oopsInFreedModule(kernel, dev, inInterrupt)
  })
}
