/**
 * Devicetree properties that name other nodes by phandle (drivers/of/property.c of_supplier_bindings):
 * lists of `phandle + arguments`, with the property of the target that sizes the arguments, and
 * whether fw_devlink treats the binding as optional.
 */
export const PHANDLE_WITH_ARGS: readonly [
  property: string,
  cellsName: string,
  optional: boolean,
][] = [
  ['clocks', '#clock-cells', false],
  ['interconnects', '#interconnect-cells', false],
  ['iommus', '#iommu-cells', true],
  ['mboxes', '#mbox-cells', false],
  ['io-channels', '#io-channel-cells', false],
  ['io-backends', '#io-backend-cells', false],
  ['dmas', '#dma-cells', true],
  ['power-domains', '#power-domain-cells', false],
  ['hwlocks', '#hwlock-cells', false],
  ['phys', '#phy-cells', false],
  ['resets', '#reset-cells', false],
  ['pwms', '#pwm-cells', false],
  ['interrupts-extended', '#interrupt-cells', false],
  ['msi-parent', '#msi-cells', false],
  ['access-controllers', '#access-controller-cells', false],
]

/** Properties holding plain phandles (no arguments). */
export const PLAIN_PHANDLES: readonly string[] = [
  'interrupt-parent',
  'extcon',
  'nvmem-cells',
  'wakeup-parent',
  'leds',
  'backlight',
  'panel',
]

/** `pinctrl-N` and `*-supply` hold plain phandles too. */
export function isPlainPhandleProperty(name: string): boolean {
  return PLAIN_PHANDLES.includes(name) || /^pinctrl-[0-8]$/.test(name) || name.endsWith('-supply')
}

/**
 * `gpio`, `gpios`, `*-gpios`, `*-gpio`: phandle + `#gpio-cells` arguments, as fw_devlink parses
 * them (drivers/of/property.c:1324-1362: parse_gpio_compat() takes the bare `gpio` and `gpios`,
 * parse_gpios() skips `*,nr-gpios`) and gpiolib looks them up (gpio_suffixes, drivers/gpio/gpiolib.c:94).
 */
export function isGpioProperty(name: string): boolean {
  if (name === 'gpio' || name === 'gpios' || name.endsWith('-gpio')) return true
  return name.endsWith('-gpios') && !name.endsWith(',nr-gpios')
}
