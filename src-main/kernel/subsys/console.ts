import type { Message } from '../../catalog/driver-schema'
import type { Device } from '../driver-core'
import type { Kernel } from '../kernel'
import { consoleEnabledText } from '../printk'
import type { EffectHandlers } from './effect-types'

/** register_console(): enabled when `console=` names it, or when no console was asked for. */
export function registerConsole(
  kernel: Kernel,
  name: string,
  onOpen: Message[],
  device?: Device,
): void {
  const wanted = kernel.cmdline.entries
    .filter(([param]) => param === 'console')
    .map(([, value]) => String(value).split(',')[0])
  if (wanted.length > 0 && !wanted.includes(name)) return
  kernel.consoles.push({ name, device, onOpen })
  kernel.printk('info', consoleEnabledText(kernel.inputs.profile.version, name))
}

export const consoleEffects = {
  console: (effect, { kernel, device }) => {
    registerConsole(kernel, `${effect.name}${effect.index}`, effect.onOpen, device)
    return undefined
  },
} satisfies EffectHandlers
