import type { Device } from './device'
import type { Kernel } from './kernel'
import { unregisterDevices } from './device-del'
import { addDevices, newDevice } from './of-platform'
import { isAvailable, propertyCells } from './of-tree'

/** include/dt-bindings/spmi/spmi.h: a child's `reg` is <usid SPMI_USID>. */
const SPMI_USID = 0
/** include/linux/spmi.h. */
const SPMI_MAX_SLAVE_ID = 16

/**
 * spmi_controller_add() (drivers/spmi/spmi.c:539) from a bound controller's probe: the controller
 * gets the next id of the bus's ida (spmi_controller_alloc(), spmi.c:464), and
 * of_spmi_register_devices() (spmi.c:480) adds an spmi_device per available child whose `reg` is
 * <usid SPMI_USID>, named `<nr>-<usid %02x>` (spmi_device_add(), spmi.c:67). They match SPMI drivers
 * by compatible (spmi_device_match(), spmi.c:46) and uevent with the OF modalias (spmi.c:370).
 */
export function spmiControllerAdd(kernel: Kernel, controller: Device): () => void {
  const nr = kernel.idaAlloc('spmi')
  const name = `spmi-${nr}`
  const ctrl = { bus: 'spmi', name, parent: controller }
  kernel.busControllers.push(ctrl)
  const err = (text: string) => kernel.printk('err', `spmi ${name}: ${text}`)
  const created: Device[] = []
  for (const child of controller.of.children) {
    if (!isAvailable(child)) continue
    const reg = propertyCells(child, 'reg')
    // of_property_read_u32_array(node, "reg", reg, 2): -EINVAL without it, -EOVERFLOW if shorter.
    if (reg.length < 2) {
      err(`node ${child.path} err (${reg.length === 0 ? -22 : -75}) does not have 'reg' property`)
      continue
    }
    if (reg[1] !== SPMI_USID) {
      err(`node ${child.path} contains unsupported 'reg' entry`)
      continue
    }
    const usid = reg[0] as number
    if (usid >= SPMI_MAX_SLAVE_ID) {
      err(`invalid usid on node ${child.path}`)
      continue
    }
    if (kernel.populatedNodes.has(child)) continue
    kernel.populatedNodes.add(child)
    const device = newDevice(kernel, child, 'spmi', `${nr}-${usid.toString(16).padStart(2, '0')}`)
    kernel.core.addDevice(device)
    kernel.uevents.add(device)
    created.push(device)
  }
  addDevices(kernel, created)
  // spmi_controller_remove() (spmi.c:578), from devm_spmi_controller_add()'s devres or the driver's
  // remove(): each spmi device in order, then the controller's own device; spmi_ctrl_release()
  // frees its id (spmi.c:38), so the next controller added takes it again.
  return () => {
    unregisterDevices(kernel, created)
    kernel.busControllers.splice(kernel.busControllers.indexOf(ctrl), 1)
    kernel.idaFree('spmi', nr)
  }
}
