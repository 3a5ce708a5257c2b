import { findProperty, stringList } from '../hardware/devicetree'
import type { OfNode } from '../hardware/tree-index'
import { ambaModalias } from '../kernel/amba-bus'
import type { Device } from '../kernel/device'

/**
 * The MODALIAS of a device's uevent: its bus's. An AMBA device has `amba:d%08X`
 * (drivers/amba/bus.c:222), and none while its peripheral ID is unread (the uevent is suppressed).
 */
export function deviceModalias(device: Device): string | undefined {
  if (device.bus === 'amba') return ambaModalias(device)
  // platform_uevent() (drivers/base/platform.c:1346): without a node, `platform:<pdev->name>`.
  if (device.noNode) return `${device.bus}:${device.idName ?? device.name}`
  return ofModalias(device.of)
}

/**
 * of_modalias() (drivers/of/device.c): `of:N<name>T<device_type>C<compatible>...`. A node without
 * device_type prints `(null)` there, as vsnprintf does for a NULL %s; spaces in a compatible become `_`.
 */
export function ofModalias(node: OfNode): string {
  const type = stringList(findProperty(node.node, 'device_type'))[0] ?? '(null)'
  const compatibles = node.compatible.map((compatible) => `C${compatible.replaceAll(' ', '_')}`)
  return `of:N${node.shortName}T${type}${compatibles.join('')}`
}

/** The aliases modpost writes for an OF match table entry (scripts/mod/file2alias.c do_of_entry). */
export function ofTableAliases(compatible: string): string[] {
  const base = `of:N*T*C${compatible.replaceAll(' ', '_')}`
  return [`${base}C*`, base]
}
