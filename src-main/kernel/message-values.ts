import type { DriverDefinition } from '../catalog/driver-schema'
import { NSEC_PER_SEC } from './clock'
import type { Device } from './device'
import { driverVars } from './driver-vars'
import type { Kernel } from './kernel'
import { translatedReg, type OfNode } from './of-tree'
import { archValues } from './smp'
import type { TemplateValues } from './template'

/** The values a profile's boot messages are rendered with: the board's, and the RTC's time. */
export function boardValues(kernel: Kernel): TemplateValues {
  const { board, powerOnEpoch, initramfs } = kernel.inputs
  const { memory, cpus, model } = board
  return {
    cpus,
    model,
    'mem.start': memory.start,
    'mem.end': memory.start + memory.size - 1n,
    epoch: powerOnEpoch + Math.floor(kernel.clock.now / NSEC_PER_SEC),
    initrdK: initramfs?.sizeK ?? 0,
    ...archValues(board),
  }
}

/** The values a driver's messages are rendered with: the board's, its node's, its device's, its vars. */
export function driverValues(
  kernel: Kernel,
  def: DriverDefinition,
  node: OfNode,
  device?: Device,
): TemplateValues {
  const values: TemplateValues = Object.assign(boardValues(kernel), nodeRegValues(node))
  values.driver = def.name
  values.node = node.path
  values['node.name'] = node.shortName
  if (device) values.dev = device.name
  if (device?.virqs?.[0] !== undefined) values.irq = device.virqs[0]
  return Object.assign(values, driverVars(def, node, values, kernel.of))
}

const regValues = new WeakMap<OfNode, TemplateValues>()

/** A node's translated reg addresses: they do not change during a boot, so they are worked out once. */
function nodeRegValues(node: OfNode): TemplateValues {
  let values = regValues.get(node)
  if (!values) {
    values = {}
    for (let index = 0; index < 4; index++) {
      const reg = translatedReg(node, index)
      if (reg !== undefined) values[index === 0 ? 'reg' : `reg.${index}`] = reg
    }
    regValues.set(node, values)
  }
  return values
}
