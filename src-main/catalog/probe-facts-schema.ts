import { z } from 'zod'
import { ProbeEffect } from './probe-effects-schema'

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

/**
 * The reason a probe records when a resource lookup defers: the message its caller passes to
 * dev_err_probe(), which device_set_deferred_probe_reason() keeps as `<driver>: <message>`
 * (drivers/base/core.c:5140). A lookup whose caller returns -EPROBE_DEFER without dev_err_probe()
 * records none.
 */
export const DeferReason = z
  .object({
    /** The consumer property whose lookup defers: `vmmc-supply`, `phys`, `clocks`, `cd-gpios`. */
    property: z.string().regex(/^[\w,.-]+$/),
    /** Only the entry its `<kind>-names` calls so (`devm_clk_get(dev, "bus_early")`). */
    name: z.string().min(1).optional(),
    /**
     * The message as the kernel records it (the last dev_err_probe() on the way out of the probe);
     * absent where the probe returns the -EPROBE_DEFER without one. `{node}` is the node the
     * lookup reads (`%pOF`), `{index}` the entry's position in the property.
     */
    reason: z.string().min(1).optional(),
    /**
     * The reason instead when the lookup is a sub-node's below another sub-node: the caller of
     * the nested lookup records its own over it (scpsys_add_subdomain()).
     */
    nestedReason: z.string().min(1).optional(),
    /** The 6.12 file:line of each dev_err_probe() and lookup on the way. */
    source: z.string().min(1),
  })
  .strict()
export type DeferReason = z.infer<typeof DeferReason>

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
  /**
   * Its resource lookups in the order the probe makes them, each with the reason it records when
   * it defers: the first lookup whose provider is missing decides.
   */
  deferReasons: z.array(DeferReason).optional(),
}

/**
 * probe-facts.json: what a scanned driver's probe does that its match table does not say, by
 * `module/driver`, each with the source it was read from.
 */
export const ProbeFacts = z.record(
  z.string().regex(/^[\w-]+\/[\w,.-]+$/),
  z
    .object({
      source: z.string().min(1),
      ...PROBE_FACTS,
      /** What the probe does after taking its resources, run after any effects the driver has. */
      effects: z.array(ProbeEffect).optional(),
    })
    .strict(),
)
export type ProbeFacts = z.infer<typeof ProbeFacts>
