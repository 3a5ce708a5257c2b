import type { DriverDefinition } from '../catalog/driver-schema'
import { ERRNO } from '../linux/errno'
import type { Kernel } from './kernel'
import { isAvailable, type OfNode } from './of-tree'

/*
 * The of_declare tables init_IRQ() and time_init() walk: of_irq_init() (IRQCHIP_DECLARE),
 * of_clk_init() (CLK_OF_DECLARE) and timer_probe() (TIMER_OF_DECLARE).
 */

/** The of_declare drivers of one table on every available node they match; returns how many ran. */
export function runOfDeclare(kernel: Kernel, table: 'irqchip' | 'clk' | 'timer'): number {
  const drivers = kernel.inputs.profile.drivers.filter(
    (def) =>
      def.registration.kind === 'of_declare' &&
      def.registration.table === table &&
      kernel.isBuiltIn(def),
  )
  let ran = 0
  const declared = kernel.timerNodes
  for (const node of kernel.of.all) {
    if (!isAvailable(node) || kernel.initializedNodes.has(node)) continue
    if (table === 'timer' && declared.has(node)) continue
    const def = bestMatch(drivers, node)
    if (!def) continue
    ran += 1
    if (!kernel.ofDeclared.has(def)) kernel.ofDeclared.set(def, node)
    // of_irq_init() and of_clk_init() mark their nodes populated (drivers/clk/clk.c:5576);
    // timer_probe() does not, nor a CLK_OF_DECLARE_DRIVER init: those nodes still get a device.
    if (table !== 'timer' && !(def.registration.kind === 'of_declare' && def.registration.driver))
      kernel.initializedNodes.add(node)
    if (table === 'timer') {
      declared.add(node)
      kernel.mapInterrupts(kernel.interruptCountOf(node))
    }
    const outcome = kernel.runEffects(def, def.probe.effects, kernel.driverValues(def, node))
    kernel.spendUs(def.probe.us)
    // timer_probe() counts the inits that succeeded (drivers/clocksource/timer-probe.c:36).
    if (table === 'timer' && outcome.ret !== 0) ran -= 1
    // An irqchip's domain, a clock provider: registered by the init function that succeeded.
    if (outcome.ret === 0 && table !== 'timer') kernel.providers.register(node)
    if (outcome.ret !== 0 && outcome.ret !== -ERRNO.EPROBE_DEFER && table === 'timer')
      kernel.printk('err', `Failed to initialize '${node.path}': ${outcome.ret}`)
  }
  return ran
}

/** __of_match_node(): the driver whose table matches the node's most specific compatible. */
function bestMatch(drivers: DriverDefinition[], node: OfNode): DriverDefinition | undefined {
  for (const compatible of node.compatible) {
    const def = drivers.find((candidate) => candidate.compatible.includes(compatible))
    if (def) return def
  }
  return undefined
}
