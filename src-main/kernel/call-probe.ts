import type { DriverDefinition } from '../catalog/driver-schema'
import { addChildDevices } from './child-devices'
import type { Device, ProbeOutcome } from './device'
import type { Kernel } from './kernel'
import { takeResources } from './take-resources'

/**
 * call_driver_probe() (drivers/base/dd.c) into a driver that is data: the resources its node
 * references are looked up first, its interrupts mapped, then an injected fault or the driver's
 * own effects run.
 */
export function callDriverProbe(
  kernel: Kernel,
  device: Device,
  def: DriverDefinition,
): ProbeOutcome {
  const missing = takeResources(kernel, device)
  if (missing) return missing
  // A device created again for a node (its parent rebound) finds the node's mappings
  // (irq_create_fwspec_mapping() returns an existing one, kernel/irq/irqdomain.c:931).
  device.virqs ??= kernel.nodeVirqs.get(device.of)
  if (!device.virqs) {
    device.virqs = kernel.mapInterrupts(kernel.interruptCountOf(device.of))
    kernel.nodeVirqs.set(device.of, device.virqs)
  }
  const outcome =
    kernel.faults.probe(def) ??
    kernel.runEffects(def, def.probe.effects, kernel.driverValues(def, device.of, device), device)
  kernel.spendUs(def.probe.us)
  // devm_of_platform_populate(), mfd_add_devices(), spmi_controller_add() in the probe: the
  // children appear (and may probe) before it returns.
  if (outcome.ret === 0) addChildDevices(kernel, device, def)
  return outcome
}
