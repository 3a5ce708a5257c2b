import type { CoreInitcall } from '../catalog/kernel-profile-schema'
import { NSEC_PER_USEC } from './clock'
import type { Kernel } from './kernel'
import { addHeaps, dmaHeapInitcall } from './subsys/dma-heap'
import { ERRNO } from '../linux/errno'

type Level = CoreInitcall['level']

interface ConfigInitcall {
  fn: string
  run: () => number
}

/** Subsystems' own initcalls, each built in by its Kconfig symbol. */
const SUBSYSTEM_INITCALLS = [dmaHeapInitcall]

/**
 * Initcalls of code the config builds in that the profile's reference boot did not run (its build
 * left the code out), placed after the reference's own of the same level: the subsystems' own,
 * then the module_init of each module-behaviour.json entry with a `builtin` form whose symbol is
 * `y`, in the file's order (link order).
 */
function configInitcalls(kernel: Kernel, level: Level): ConfigInitcall[] {
  const { config, behaviours, initcalls } = kernel.inputs.profile
  const calls: ConfigInitcall[] = []
  for (const initcall of SUBSYSTEM_INITCALLS) {
    if (initcall.level !== level || config[initcall.kconfig] !== 'y') continue
    const run = () => initcall.run(kernel)
    // A reference boot of a build with it runs (and times) it among its own.
    if (initcalls.some((reference) => reference.fn === initcall.fn)) run()
    else calls.push({ fn: initcall.fn, run })
  }
  for (const behaviour of Object.values(behaviours ?? {})) {
    const builtin = behaviour.builtin
    if (!builtin || builtin.level !== level || config[builtin.kconfig] !== 'y') continue
    calls.push({
      fn: builtin.initcall,
      run: () => {
        kernel.printMessages(behaviour.messages, kernel.boardValues())
        // As the module loader does with the same behaviour: the init's errno, else its heaps.
        if (behaviour.fails) return -ERRNO[behaviour.fails]
        return behaviour.heaps ? addHeaps(kernel, behaviour.heaps) : 0
      },
    })
  }
  return calls
}

/** do_one_initcall() for each of them: initcall_debug's lines and the trace's event. */
export function runConfigInitcalls(kernel: Kernel, level: Level, pid: number): void {
  for (const { fn, run } of configInitcalls(kernel, level)) {
    const symbol = `${fn}+0x0/0x0`
    const span = kernel.trace.begin()
    if (kernel.initcallDebug) kernel.printk('debug', `calling  ${symbol} @ ${pid}`)
    const start = kernel.clock.now
    const ret = run()
    if (kernel.initcallDebug) {
      const usecs = Math.floor((kernel.clock.now - start) / NSEC_PER_USEC)
      kernel.printk('debug', `initcall ${symbol} returned ${ret} after ${usecs} usecs`)
    }
    kernel.trace.end(span, 'initcall', { fn, level, ret })
  }
}
