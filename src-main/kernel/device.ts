import type { BusName, DriverDefinition } from '../catalog/driver-schema'
import type { PeriphidProblem } from './amba-bus'
import type { SupplierRef } from './fw-devlink'
import type { OfNode } from './of-tree'
import type { ResourceUse } from './resources'

export type { BusName } from '../catalog/driver-schema'

export type DeviceState = 'no-driver' | 'bound' | 'deferred' | 'failed'

export interface DeviceLink {
  supplier: Device
  consumer: Device
  property: string
  /** Relaxed links (cycles, fw_devlink_drivers_done, permissive mode) never block a probe. */
  relaxed: boolean
}

/** include/linux/device.h's struct device, as far as the driver core follows it. */
export interface Device {
  /** Creation order: the order the bus walks its devices in. */
  index: number
  name: string
  bus: BusName
  of: OfNode
  driver?: RuntimeDriver
  state: DeviceState
  /** What devices_deferred shows: `<driver or bus>: <reason>`. */
  deferReason?: string
  /** The errno of the last failed probe. */
  errno?: number
  /** A driver matched it at some point (dev->can_match). */
  canMatch: boolean
  suppliers: DeviceLink[]
  consumers: DeviceLink[]
  /** fwnode links to supplier nodes that have no device (yet). */
  waitingFor: SupplierRef[]
  virqs?: number[]
  /** What the last probe took, or waits for, from each provider the node names. */
  resources?: ResourceUse[]
  /** An AMBA device's peripheral ID (struct amba_device periphid), once known. */
  periphid?: number
  /** Why the last amba_read_periphid() could not tell it. */
  periphidProblem?: PeriphidProblem
  /**
   * The name the bus compares with its drivers' id tables: struct platform_device .name when not
   * empty (an MFD cell's; OF-created platform devices have none, of_device_alloc(),
   * drivers/of/platform.c:115), an I2C client's .name (its type).
   */
  idName?: string
  /** Added with no firmware node (an MFD cell without one): `of` is an empty node in no tree. */
  noNode?: true
  /** struct device .parent where a driver added it (an MFD cell's: the MFD); else see parentNode(). */
  parent?: Device
}

/** struct device_driver: a driver definition registered on its bus. */
export interface RuntimeDriver {
  def: DriverDefinition
  /** Registration order on its bus. */
  order: number
}

/** What a probe call decided, from the driver's definition (and any injected fault). */
export type ProbeOutcome = { ret: 0 } | { ret: number; reason?: string }
