import { z } from 'zod'

/** The resources a probe takes, one kind per subsystem (kernel/subsys/resource-types.ts). */
export const ResourceKindName = z.enum([
  'pinctrl',
  'iommu',
  'clock',
  'power-domain',
  'reset',
  'regulator',
  'gpio',
  'phy',
  'interconnect',
  'interrupt',
  'dma',
  'mbox',
])
export type ResourceKindName = z.infer<typeof ResourceKindName>

/** What a probe takes beyond the resources its node names (probe-facts.json for scanned drivers). */
export const PROBE_FACTS = {
  /** Resources the node names that the probe leaves for later (qmp-ufs's UFS reset, at phy_init). */
  later: z.array(ResourceKindName).optional(),
  /** Resources the probe takes from its sub-nodes without a compatible (scpsys' domains' clocks). */
  children: z.array(ResourceKindName).optional(),
  /**
   * The probe takes the driver data of another node's device, `parent` or the node a phandle
   * property names, and returns -EPROBE_DEFER while it has none (devm_rpi_firmware_get()).
   */
  driverDataOf: z
    .string()
    .regex(/^[\w,.-]+$/)
    .optional(),
}

/**
 * probe-facts.json: what a scanned driver's probe does that its match table does not say, by
 * `module/driver`, each with the source it was read from.
 */
export const ProbeFacts = z.record(
  z.string().regex(/^[\w-]+\/[\w,.-]+$/),
  z.object({ source: z.string().min(1), ...PROBE_FACTS }).strict(),
)
export type ProbeFacts = z.infer<typeof ProbeFacts>
