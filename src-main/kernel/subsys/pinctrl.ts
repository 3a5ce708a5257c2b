import type { ResourceClass } from './resource-types'

/**
 * pinctrl_bind_pins() in really_probe(), before anything else: every `pinctrl-N` state's config
 * nodes are mapped through the pin controller above them. None registered: "keep deferring if
 * modules are enabled" (drivers/pinctrl/devicetree.c:135), unless `pinctrl-use-default`.
 * A pin controller is the node the config nodes live under (see resources.ts).
 */
export const pinctrlResource: ResourceClass = {
  kind: 'pinctrl',
  consumes: (name) => (/^pinctrl-\d+$/.test(name) ? {} : undefined),
  provides: () => false,
  whenMissing: 'defer_with_modules',
  source: 'drivers/pinctrl/devicetree.c:135',
}
