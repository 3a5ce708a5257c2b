import { z } from 'zod'
import { DriverDefinition } from './driver-schema'
import { ExportedSymbol, ModuleDefinition } from './module-schema'

const ConfigSymbol = z.string().regex(/^CONFIG_\w+$/)

/** A Kconfig symbol as its Kconfig file declares it. */
export const KconfigSymbol = z
  .object({
    type: z.enum(['bool', 'tristate', 'int', 'hex', 'string']),
    /** `depends on` of the entry and its enclosing `if`/`menu`, joined with `&&`. */
    depends: z.string().optional(),
    /** Symbols that `select` this one (with their condition), e.g. an `ARCH_*` forcing it on. */
    selectedBy: z.array(z.string()).optional(),
    /** Has a prompt: a user can change it. */
    prompt: z.boolean().optional(),
    /** `Kconfig-file:line`. */
    at: z.string().optional(),
  })
  .strict()
export type KconfigSymbol = z.infer<typeof KconfigSymbol>

/** A driver of a bus the simulation does not populate (I2C, SPI, ...): matched, never probed. */
export const ForeignDriver = z
  .object({
    name: z.string(),
    module: z.string(),
    kconfig: ConfigSymbol,
    bus: z.string(),
    compatible: z.array(z.string()),
    source: z.string().optional(),
  })
  .strict()
export type ForeignDriver = z.infer<typeof ForeignDriver>

/** Where each piece of a generated catalog came from. */
export const Provenance = z
  .object({
    generator: z.string(),
    packages: z.array(
      z.object({ name: z.string(), version: z.string(), sha256: z.string() }).strict(),
    ),
  })
  .strict()

/**
 * catalog.json.gz: a whole real kernel build, generated from its packages (never edited by hand):
 * its config, every module and built-in module, every vmlinux export, and the drivers its source
 * defines with their match tables and registrations.
 */
export const KernelCatalog = z
  .object({
    provenance: Provenance,
    release: z.string(),
    config: z.record(ConfigSymbol, z.enum(['y', 'm', 'n'])),
    kconfig: z.record(ConfigSymbol, KconfigSymbol).default({}),
    modules: z.array(ModuleDefinition),
    builtin: z.array(ModuleDefinition).default([]),
    /** The build's modules.builtin.modinfo, verbatim. */
    builtinModinfo: z.string().optional(),
    exports: z.array(ExportedSymbol),
    drivers: z.array(DriverDefinition).default([]),
    foreignDrivers: z.array(ForeignDriver).default([]),
  })
  .strict()
export type KernelCatalog = z.infer<typeof KernelCatalog>
