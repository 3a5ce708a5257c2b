import { hasProperty, type ResourceClass } from './resource-types'

/**
 * The common clock framework: `clocks` taken by the driver, `assigned-clocks` set up by
 * of_clk_set_defaults() in platform_probe(); a provider not registered yet is -EPROBE_DEFER
 * (drivers/clk/clk.c:5262 of_clk_get_hw_from_clkspec).
 */
export const clockResource: ResourceClass = {
  kind: 'clock',
  consumes: (name) =>
    name === 'clocks' || name === 'assigned-clocks' ? { cells: '#clock-cells' } : undefined,
  provides: (node) => hasProperty(node, '#clock-cells'),
  whenMissing: 'defer',
  source: 'drivers/clk/clk.c:5262',
}
