import type { Message } from '../../catalog/driver-schema'
import type { Device } from '../device'
import type { Kernel } from '../kernel'
import { aliasId, ofStdout } from '../of-alias'
import { consoleEnabledText } from '../printk'
import type { EffectHandlers } from './effect-types'

/**
 * register_console() (kernel/printk/printk.c:4024): a console `console=` names; without `console=`,
 * the device /chosen `stdout-path` names (of_console_check() made it preferred, drivers/of/
 * base.c:1910); without either, the first console with a tty, and no other.
 */
export function registerConsole(
  kernel: Kernel,
  name: string,
  onOpen: Message[],
  device?: Device,
): void {
  const wanted = kernel.cmdline.entries
    .filter(([param]) => param === 'console')
    .map(([, value]) => String(value).split(',')[0])
  if (wanted.length > 0) {
    if (!wanted.includes(name)) return
  } else {
    const stdout = ofStdout(kernel.of)
    if (stdout ? device?.of !== stdout : kernel.consoles.some((console) => console.device)) return
  }
  kernel.consoles.push({ name, device, onOpen })
  kernel.printk('info', consoleEnabledText(kernel.inputs.profile.version, name))
}

export const consoleEffects = {
  /** uart_add_one_port(): the port takes its line, announces itself, and may be a console. */
  console: (effect, { kernel, device, values }) => {
    const taken = takenLines(kernel, effect.name)
    let line = effect.alias && device ? aliasId(kernel.of, device.of, effect.alias) : undefined
    if (line === undefined || taken.has(line)) {
      line = effect.index
      while (taken.has(line)) line += 1
    }
    taken.add(line)
    kernel.printMessages(effect.announce, { ...values, line }, device)
    registerConsole(kernel, `${effect.name}${line}`, effect.onOpen, device)
    return undefined
  },
} satisfies EffectHandlers

/** Each tty driver's lines in use (pl011_find_free_port(), the 8250 and geni port tables). */
const linesOf = new WeakMap<Kernel, Map<string, Set<number>>>()
function takenLines(kernel: Kernel, name: string): Set<number> {
  let byName = linesOf.get(kernel)
  if (!byName) linesOf.set(kernel, (byName = new Map()))
  let lines = byName.get(name)
  if (!lines) byName.set(name, (lines = new Set()))
  return lines
}
