import { z } from 'zod'
import { INITCALL_SECTIONS } from '../linux/initcall-levels'
import { Message } from './message-schema'
import { PROBE_FACTS } from './probe-facts-schema'
import { ProbeEffect } from './probe-effects-schema'

/**
 * A driver as data: how it registers when built in, what it matches, and what its init and probe do.
 * Message texts are templates: `{dev}` the device name, `{driver}`, `{node}` the full DT path,
 * `{reg}` the first reg address, `{irq}`, `{cpus}`, and the driver's own `vars`, each optionally
 * with a format: `{rate:mhz2}`, `{reg:hex}`.
 */
export { LogLevelName, Message } from './message-schema'

export const InitcallLevel = z.enum(INITCALL_SECTIONS)

export type InitcallLevel = z.infer<typeof InitcallLevel>

export const Registration = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('initcall'), level: InitcallLevel }).strict(),
  /** TIMER_OF_DECLARE, IRQCHIP_DECLARE, CLK_OF_DECLARE: run early on matching nodes, no struct device. */
  z
    .object({
      kind: z.literal('of_declare'),
      table: z.enum(['irqchip', 'clk', 'timer']),
      /**
       * CLK_OF_DECLARE_DRIVER: the init clears OF_POPULATED (include/linux/clk-provider.h:1436), so
       * the node still gets a platform device, for the driver that registers the rest of its clocks.
       */
      driver: z.literal(true).optional(),
    })
    .strict(),
])

export const Var = z
  .object({
    property: z.string().optional(),
    /** 1 when the node has this (boolean) property, else 0 (`always-on`). */
    present: z.string().optional(),
    /** The rate of the node's clock of this name (clock-names) or index, when a fixed clock gives it. */
    clock: z.union([z.string(), z.number().int().nonnegative()]).optional(),
    /** A board value (`cntfrq`, `el`) taken when the node lacks the property: what firmware set. */
    board: z.string().optional(),
    /** A field of the IP's ID registers, by its compatible (resources/hardware/id-registers.json). */
    register: z.string().optional(),
    /** What is printed for what was read (`{"1": "virt", "2": "phys"}`). */
    map: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
    /** A counter's width: the bits for `seconds` at the rate of var `hz`, clamped to min..max. */
    counterWidth: z
      .object({
        hz: z.string(),
        seconds: z.number().int().positive(),
        min: z.number().int().positive(),
        max: z.number().int().positive(),
      })
      .strict()
      .optional(),
    default: z.union([z.number(), z.string()]),
  })
  .strict()

const HEX32 = z.string().regex(/^0x[0-9a-f]{8}$/)
export const AmbaId = z.object({ id: HEX32, mask: HEX32 }).strict()
export type AmbaId = z.infer<typeof AmbaId>

/** The buses whose devices the simulation creates. */
export const BUS_NAMES = ['platform', 'amba', 'spmi', 'i2c'] as const
export type BusName = (typeof BUS_NAMES)[number]

/**
 * What (devm_)mfd_add_devices() adds (drivers/mfd/mfd-core.c:154 mfd_add_device): a platform
 * device per cell, named by the cell and `devid` (PLATFORM_DEVID_NONE: the name alone), bound to
 * the parent's first available child of the cell's of_compatible. Each set applies to the parent
 * compatibles `for` names (the match data that chose the cells), or to every one.
 */
export const MfdCells = z
  .object({
    devid: z.union([z.enum(['none', 'auto']), z.number().int().nonnegative()]),
    sets: z.array(
      z
        .object({
          for: z.array(z.string().min(1)).optional(),
          cells: z.array(
            z
              .object({
                name: z.string().min(1),
                ofCompatible: z.string().min(1).optional(),
                /** struct mfd_cell .id, added to the id the call gives (mfd-core.c:170). */
                id: z.number().int().optional(),
              })
              .strict(),
          ),
          /** Where the cell array is declared (`drivers/mfd/mt6397-core.c`). */
          source: z.string().optional(),
        })
        .strict(),
    ),
  })
  .strict()
export type MfdCells = z.infer<typeof MfdCells>

export const DriverDefinition = z
  .object({
    /** struct device_driver .name: the prefix of its dev_printk lines. */
    name: z.string().min(1),
    module: z.string().regex(/^[\w-]+$/),
    kconfig: z.string().regex(/^CONFIG_\w+$/),
    tristate: z.boolean(),
    license: z.string().default('GPL'),
    bus: z.enum(BUS_NAMES),
    /**
     * The OF match table; an AMBA driver may have none (amba_match() reads only `amba`), nor may a
     * platform driver, which then binds by its id table or, without one, by its `name`.
     */
    compatible: z.array(z.string().min(1)),
    /**
     * Its id table's names (`struct platform_device_id`, `struct i2c_device_id`): the bus binds a
     * device of that name (an MFD cell, an I2C client's type) after the OF table
     * (drivers/base/platform.c:1325, drivers/i2c/i2c-core-base.c:140). A platform driver without
     * one binds a device named as the driver (platform.c:1329).
     */
    ids: z.array(z.string().min(1)).optional(),
    /**
     * An AMBA driver's `struct amba_id` table: a device matches when
     * `(periphid & mask) === id` (drivers/amba/bus.c:54 amba_lookup).
     */
    amba: z.array(AmbaId).optional(),
    registration: Registration,
    /** The init function, as initcall_debug names it (`pl011_init`). */
    initcall: z.string().regex(/^\w+$/),
    /**
     * Present in one form of the build only, where `#ifdef MODULE` makes the module register
     * otherwise than the built-in code (a patch series' `TIMER_OF_DECLARE` kept built in,
     * `module_platform_driver` in the module); see `buildForms`.
     */
    form: z.enum(['builtin', 'module']).optional(),
    init: z
      .object({ us: z.number().nonnegative().default(0), messages: z.array(Message).default([]) })
      .strict()
      .default({ us: 0, messages: [] }),
    vars: z.record(z.string(), Var).default({}),
    /**
     * An IOMMU driver's iommu_ops.device_group() (drivers/iommu/iommu.c:427): `shared-stream` puts
     * devices that share a stream in one group (arm_smmu_device_group(), arm-smmu.c:1532);
     * `generic`, the default, gives each device its own (generic_device_group(), iommu.c:1484).
     */
    iommuDeviceGroup: z.enum(['generic', 'shared-stream']).optional(),
    /** Its probe calls (devm_)of_platform_populate(): the node's children become platform devices. */
    populatesChildren: z.boolean().optional(),
    /**
     * It calls plain of_platform_populate() and never of_platform_depopulate(): the children stay
     * when it unbinds (no devres release, drivers/of/platform.c:651).
     */
    keepsChildren: z.boolean().optional(),
    /**
     * Its probe registers a controller of this bus, itself or through a helper of the bus's
     * subsystem (i2c_dw_probe()), which creates a device per child node; `i2c-mux` an adapter per
     * mux channel (i2c_mux_add_adapter(), drivers/i2c/i2c-mux.c:270).
     */
    registersController: z.enum(['spmi', 'i2c', 'i2c-mux']).optional(),
    /** The cells its probe adds with (devm_)mfd_add_devices(), by the compatible it matched. */
    mfd: MfdCells.optional(),
    probe: z
      .object({
        us: z.number().nonnegative().default(0),
        effects: z.array(ProbeEffect).default([]),
        /** regulator_get() ids the probe asks for (`vmmc` for `vmmc-supply`), named in the node or not. */
        supplies: z.array(z.string().regex(/^[\w-]+$/)).optional(),
        ...PROBE_FACTS,
      })
      .strict()
      .default({ us: 0, effects: [] }),
  })
  .strict()
  .refine(
    (driver) =>
      driver.compatible.length > 0 ||
      (driver.amba?.length ?? 0) > 0 ||
      (driver.ids?.length ?? 0) > 0 ||
      (driver.bus === 'platform' && driver.registration.kind === 'initcall'),
    {
      message:
        'a driver matches by at least one compatible (or, on the AMBA bus, a peripheral id; on the I2C bus, an i2c_device_id; an *_OF_DECLARE entry only by compatible)',
      path: ['compatible'],
    },
  )
export type DriverDefinition = z.infer<typeof DriverDefinition>
