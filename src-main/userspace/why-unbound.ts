import type { Device } from '../kernel/device'
import type { OfNode } from '../kernel/of-tree'
import type { DeviceMatch } from './device-report'
import type { System } from './system'

/** The buses whose devices a real kernel creates from the tree, but modlab does not (yet). */
const FOREIGN_BUS_NAMES: Record<string, string> = {
  spi_driver: 'SPI',
  slim_driver: 'SLIMbus',
  mdio_driver: 'MDIO',
  serdev_device_driver: 'serdev',
  usb_driver: 'USB',
  sdio_driver: 'SDIO',
  pci_driver: 'PCI',
}

function busNameOf(type: string): string {
  return FOREIGN_BUS_NAMES[type] ?? type.replace(/_driver$/, '')
}

/** The driver of a bus modlab does not populate whose table names one of the node's compatibles. */
function foreignDriverOf(system: System, node: OfNode): string | undefined {
  const foreign = system.kernel.inputs.profile.foreignDrivers.find((driver) =>
    driver.compatible.some((compatible) => node.compatible.includes(compatible)),
  )
  return foreign ? `${foreign.name} (${busNameOf(foreign.bus)})` : undefined
}

/** Why the node a device waits for has no device: a child of a device on another bus, or of an MFD. */
function whyNoDevice(system: System, node: OfNode): string {
  const foreign = foreignDriverOf(system, node)
  if (foreign)
    return `${node.path} is a device of ${foreign}, a bus modlab does not create devices on`
  for (let parent = node.parent; parent?.parent; parent = parent.parent) {
    const parentForeign = foreignDriverOf(system, parent)
    if (parentForeign)
      return `${node.path} sits under ${parent.path}, a device of ${parentForeign}, a bus modlab does not create devices on`
    const device = system.kernel.core.deviceOf(parent)
    if (device?.state === 'bound')
      return `${node.path} gets no device: ${device.driver?.def.name ?? parent.path} binds ${device.name}, and neither populates its children nor adds an MFD cell of its compatible`
    if (device) return `${node.path} appears once ${device.name} probes, and it is ${device.state}`
  }
  return `${node.path} never gets a device`
}

/** What modlab sees a deferred device wait for: a supplier node, a device link, a resource. */
function whyDeferred(system: System, device: Device): string {
  const wait = device.waitingFor[0]
  if (wait)
    return `waits for ${wait.supplier.path} (${wait.property}): ${whyNoDevice(system, wait.supplier)}`
  const link = device.suppliers.find((l) => !l.relaxed && l.supplier.state !== 'bound')
  if (link)
    return `waits for its supplier ${link.supplier.name} (${link.property}), which is ${link.supplier.state}`
  // amba_match() could not read the peripheral ID (drivers/amba/bus.c:188): the device waits.
  if (device.periphidProblem && device.periphid === undefined)
    return `amba_match() cannot read its peripheral ID yet: ${device.periphidProblem.why}`
  const resource = device.resources?.find((use) => use.state === 'waiting')
  if (resource)
    return `waits for the ${resource.kind} ${resource.provider} gives (${resource.property})`
  return 'its probe returned -EPROBE_DEFER'
}

/**
 * The reason the kernel keeps for a deferred device (devices_deferred, `deferred probe pending`):
 * what the last dev_err_probe() said, or none (drivers/base/dd.c:252, :317).
 */
export function recordedReason(device: Device): string {
  return device.deferReason
    ? `the kernel records "${device.deferReason}"`
    : 'the kernel records no reason'
}

/**
 * Why a device is not bound at the end of the boot, in a kernel engineer's words: the driver core's
 * deferral, the provider a probe waits for and the reason the kernel recorded, or why no driver
 * binds the node.
 */
export function whyUnbound(system: System, device: Device, match: DeviceMatch): string | undefined {
  if (device.state === 'bound') return undefined
  if (device.state === 'failed') return `probe failed with error -${device.errno ?? 0}`
  if (device.state === 'deferred')
    return `${whyDeferred(system, device)}; ${recordedReason(device)}`
  // The driver core tried it: the driver's probe said it is not its device (-ENODEV, -ENXIO).
  if (device.canMatch && match.kind !== 'of_declare' && match.kind !== 'none')
    return `${match.driver ?? match.kind} probed it and declined (-ENODEV or -ENXIO: rejects match)`
  switch (match.kind) {
    case 'of_declare':
      return `initialised at boot by ${match.table.toUpperCase()}_OF_DECLARE ${match.driver}; no platform driver binds the node`
    case 'module': {
      const loaded = match.modules.filter((name) => system.loader?.find(name))
      // The alias matched a module that is in, yet no driver of it bound: modlab's catalog knows no
      // driver of that module matching this device (one matching by its name alone has no table).
      if (!match.driver && loaded.length > 0)
        return `its module ${loaded.join(', ')} is loaded, but modlab's catalog has no driver of it matching ${device.noNode ? `the name "${device.idName ?? device.name}"` : 'the node'}`
      return `its driver ${match.driver ?? match.modules.join(', ')} is a module nobody loaded`
    }
    case 'builtin':
      return `${match.driver} matches, but never probed it`
  }
  const foreign = foreignDriverOf(system, device.of)
  if (foreign) return `only ${foreign} matches: a driver of another bus`
  if (device.bus === 'amba' && device.periphid === undefined)
    return `an AMBA device whose peripheral ID modlab does not know: ${device.periphidProblem?.why ?? 'it was never read'}`
  if (device.bus === 'amba')
    return `no AMBA driver of this kernel matches its peripheral ID ${(device.periphid ?? 0).toString(16).padStart(8, '0')}`
  if (device.of.compatible.includes('syscon'))
    return 'a syscon: a register map other drivers look up by phandle; no driver binds it'
  // A device added without a node (an MFD cell) matches by its name alone (platform_match()).
  if (device.noNode)
    return `no driver of this kernel matches the name "${device.idName ?? device.name}"`
  return `no driver of this kernel matches ${device.of.compatible.map((c) => `"${c}"`).join(', ')}`
}
