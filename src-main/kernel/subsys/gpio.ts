import { isGpioProperty } from '../../hardware/phandle-properties'
import { hasProperty, type ResourceClass } from './resource-types'

/** GPIOs: a chip not registered for the node yet is -EPROBE_DEFER (drivers/gpio/gpiolib-of.c:418). */
export const gpioResource: ResourceClass = {
  kind: 'gpio',
  consumes: (name) => (isGpioProperty(name) ? { cells: '#gpio-cells' } : undefined),
  provides: (node) => hasProperty(node, 'gpio-controller'),
  whenMissing: 'defer',
  source: 'drivers/gpio/gpiolib-of.c:418',
}
