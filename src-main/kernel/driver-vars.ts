import type { DriverDefinition } from '../catalog/driver-schema'
import { idRegisterValues } from '../hardware/id-registers'
import { ofClockRate } from './of-clk'
import { hasProperty, propertyCells, type OfNode, type OfTree } from './of-tree'
import type { TemplateValues } from './template'

/**
 * A driver's vars for one node: the node's property (or whether it has it, or its clock's rate,
 * or what its IP's ID registers report), else the board value the firmware set (a
 * counter frequency in CNTFRQ_EL0, the exception level), else the default; `map` turns what was
 * read into what is printed; `counterWidth` is worked out from another var's rate.
 */
export function driverVars(
  def: DriverDefinition,
  node: OfNode,
  board: TemplateValues,
  tree: OfTree,
): TemplateValues {
  const values: TemplateValues = {}
  for (const [name, spec] of Object.entries(def.vars)) {
    if (spec.present !== undefined) {
      values[name] = hasProperty(node, spec.present) ? 1 : 0
      continue
    }
    const fromTree = spec.property
      ? propertyCells(node, spec.property)[0]
      : spec.clock !== undefined
        ? ofClockRate(tree, node, spec.clock)
        : spec.register !== undefined
          ? idRegisterValues(node.compatible)?.[spec.register]
          : undefined
    const fromBoard = spec.board !== undefined ? board[spec.board] : undefined
    const value = fromTree ?? fromBoard ?? spec.default
    values[name] = spec.map?.[String(value)] ?? value
  }
  for (const [name, spec] of Object.entries(def.vars)) {
    if (!spec.counterWidth) continue
    const { hz, seconds, min, max } = spec.counterWidth
    values[name] = counterWidth(Number(values[hz]), seconds, min, max)
  }
  return values
}

/**
 * arch_counter_get_width() (drivers/clocksource/arm_arch_timer.c:113): the bits a counter at `hz`
 * needs not to roll over within `seconds`, `clamp_val(ilog2(min_cycles - 1) + 1, min, max)`.
 */
export function counterWidth(hz: number, seconds: number, min: number, max: number): number {
  const cycles = BigInt(seconds) * BigInt(Math.floor(hz)) - 1n
  const bits = cycles > 0n ? cycles.toString(2).length : 0
  return Math.min(max, Math.max(min, bits))
}
