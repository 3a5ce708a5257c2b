import { z } from 'zod'
import { DriverDefinition, InitcallLevel, Message } from './driver-schema'
import { ForeignDriver, KconfigSymbol, Provenance } from './kernel-catalog-schema'
import { ExportedSymbol, ModuleBehaviours, ModuleDefinition, ModulePolicy } from './module-schema'
import { AppliedSeries } from './series/series-schema'

/** Mechanisms of the engine that run at a core initcall's place in link order. */
export const Mechanism = z.enum([
  'driver',
  'jiffies_clocksource',
  'of_platform_populate',
  'clocksource_done_booting',
  'deferred_probe',
])

/** One initcall of the kernel image, in link order: its section, its duration and what it prints. */
export const CoreInitcall = z
  .object({
    fn: z.string().regex(/^\w+$/),
    level: InitcallLevel,
    /** The function's size, for initcall_debug's `fn+0x0/0x<size>`. */
    size: z.number().int().nonnegative().default(0),
    us: z.number().nonnegative().default(0),
    messages: z.array(Message).default([]),
    mechanism: Mechanism.optional(),
  })
  .strict()
export type CoreInitcall = z.infer<typeof CoreInitcall>

const Step = z
  .object({ us: z.number().nonnegative().default(0), messages: z.array(Message).default([]) })
  .strict()
export type Step = z.infer<typeof Step>

/** Core lines of start_kernel()/kernel_init() between the points where the engine prints its own. */
export const BootSteps = z
  .object({
    start: Step,
    beforeMachineModel: Step,
    setupArch: Step,
    afterCma: Step,
    beforeMemory: Step,
    beforeInitIrq: Step,
    beforeTimeInit: Step,
    afterTimeInit: Step,
    afterConsole: Step,
    smpStart: Step,
    secondaryCpu: Step,
    smpDone: Step,
    afterInitcalls: Step,
    afterFreeInit: Step,
  })
  .strict()
export type BootSteps = z.infer<typeof BootSteps>

/** boot.json: generated from a real boot log by scripts/import-boot-log.mjs. */
export const BootData = z.object({ steps: BootSteps, initcalls: z.array(CoreInitcall) }).strict()

/** kernel.json: the build's identity and sizes. */
export const KernelHeader = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
    name: z.string(),
    description: z.string(),
    /** The kernel version this profile imitates, for behaviour that changed between versions. */
    version: z.tuple([z.number().int(), z.number().int()]),
    release: z.string(),
    /** linux_banner, without the trailing newline. */
    banner: z.string().startsWith('Linux version '),
    /** init_utsname()->version as dump_stack prints it. */
    utsVersion: z.string(),
    hz: z.number().int().positive(),
    pageSizeK: z.number().int().positive(),
    config: z.record(z.string().regex(/^CONFIG_\w+$/), z.enum(['y', 'm', 'n'])),
    console: z.object({ loglevel: z.number().int(), quietLoglevel: z.number().int() }).strict(),
    /** Image section sizes in KiB, as mem_init_print_info reports them. */
    image: z
      .object({
        textK: z.number(),
        rwdataK: z.number(),
        rodataK: z.number(),
        initK: z.number(),
        bssK: z.number(),
      })
      .strict(),
    memory: z
      .object({
        /** memblock reservations besides the image and CMA (page tables, per-cpu areas, memmap...). */
        otherReservedK: z.number(),
        /** CONFIG_DEFERRED_STRUCT_PAGE_INIT: only the first memory section is free at mem_init. */
        deferredInitSectionK: z.number().optional(),
        /** Early allocations inside that section besides the image. */
        earlyAllocK: z.number().default(0),
        cmaDefaultMiB: z.number().default(0),
        /** Memory that memblock hands out from the top of RAM before the default CMA area. */
        cmaBelowTopK: z.number().default(0),
      })
      .strict(),
    source: z.object({ package: z.string(), sha256: z.string(), log: z.string() }).strict(),
    /** Absent: the build has no loadable module support worth simulating (CONFIG_MODULES=n). */
    modulePolicy: ModulePolicy.optional(),
    /**
     * The alternative to modules proposed upstream, which Linux does not have: these built-in
     * symbols' code and data are laid out page-aligned (as a module's regions are) and freed after
     * free_initmem() when none of their drivers is in use (kernel/free-unused.ts says what counts
     * as in use). `--config CONFIG_X=free` adds a symbol here.
     */
    freeUnused: z.array(z.string().regex(/^CONFIG_\w+$/)).optional(),
  })
  .strict()

export const KernelProfile = KernelHeader.extend({
  steps: BootSteps,
  initcalls: z.array(CoreInitcall),
  drivers: z.array(DriverDefinition),
  /** From catalog.json.gz: every module of the build, then its built-in (modules.builtin) code. */
  modules: z.array(ModuleDefinition).default([]),
  /** From catalog.json.gz: the kernel image's EXPORT_SYMBOLs (Module.symvers, vmlinux lines). */
  exports: z.array(ExportedSymbol).default([]),
  /** From catalog.json.gz: the build's modules.builtin.modinfo, verbatim. */
  builtinModinfo: z.string().optional(),
  /** From catalog.json.gz: the Kconfig symbols' declarations. */
  kconfig: z.record(z.string(), KconfigSymbol).default({}),
  /** From catalog.json.gz: drivers of buses the simulation does not populate. */
  foreignDrivers: z.array(ForeignDriver).default([]),
  /** From catalog.json.gz: the packages the whole-kernel data was generated from. */
  provenance: Provenance.optional(),
  /** Every driver of both forms of the build when some differ (`form`); `drivers` is the config's. */
  driverForms: z.array(DriverDefinition).optional(),
  /** module-behaviour.json: what modules' inits do, for series modules and built-in inits too. */
  behaviours: ModuleBehaviours.optional(),
  /** The patch series applied to this build, in order, with what each change did. */
  series: z.array(AppliedSeries).optional(),
})
export type KernelProfile = z.infer<typeof KernelProfile>

/** A Kconfig change for a boot: `free` is `y` plus the symbol in `freeUnused`. */
export type ConfigChange = 'y' | 'm' | 'n' | 'free'
