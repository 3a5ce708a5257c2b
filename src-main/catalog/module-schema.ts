import { z } from 'zod'
import { ERRNO } from '../linux/errno'
import { InitcallLevel, Message } from './driver-schema'

const SymbolName = z.string().regex(/^[A-Za-z_][\w.$]*$/)
/** A modversions CRC as modpost writes it (`0x1a2b3c4d`). */
const Crc = z.string().regex(/^0x[0-9a-f]{1,8}$/)
const Errno = z.enum(Object.keys(ERRNO) as [keyof typeof ERRNO, ...(keyof typeof ERRNO)[]])

/** EXPORT_SYMBOL / EXPORT_SYMBOL_GPL, of the kernel image or of a module. */
export const ExportedSymbol = z
  .object({
    name: SymbolName,
    gpl: z.boolean().default(false),
    crc: Crc.optional(),
    /** EXPORT_SYMBOL_NS: users must MODULE_IMPORT_NS it. */
    namespace: z.string().optional(),
  })
  .strict()
export type ExportedSymbol = z.infer<typeof ExportedSymbol>

/** An undefined symbol of a module, with the CRC its __versions table recorded at build time. */
export const ImportedSymbol = z.union([
  SymbolName,
  z.object({ name: SymbolName, crc: Crc.optional(), weak: z.boolean().default(false) }).strict(),
])
export type ImportedSymbol = z.infer<typeof ImportedSymbol>

export const ModuleParam = z
  .object({
    name: z.string().regex(/^\w+$/),
    type: z.enum(['bool', 'int', 'uint', 'long', 'ulong', 'charp', 'short', 'ushort', 'byte']),
    description: z.string().default(''),
  })
  .strict()

/**
 * Network devices a module's init registers: `name` as alloc_netdev() takes it (`dummy%d`), as many
 * as `count`, or as a module parameter says (its default when not given).
 */
export const NetdevsAtInit = z
  .object({
    name: z.string().regex(/^[\w.-]*(%d)?[\w.-]*$/),
    count: z.union([
      z.number().int().nonnegative(),
      z.object({ param: z.string().regex(/^\w+$/), default: z.number().int() }).strict(),
    ]),
  })
  .strict()
export type NetdevsAtInit = z.infer<typeof NetdevsAtInit>

/**
 * The DMA-BUF heaps an init function adds with dma_heap_add(): one by name, or `{cma: "default"}`
 * for the heap of the default CMA area (dev_get_cma_area(NULL)), named after it, none without one.
 */
export const HeapsAtInit = z.array(
  z.union([
    z.object({ name: z.string().regex(/^[\w,.-]+$/) }).strict(),
    z.object({ cma: z.literal('default') }).strict(),
  ]),
)
export type HeapsAtInit = z.infer<typeof HeapsAtInit>

/**
 * A module as its `.ko` describes it: path, modinfo, symbol tables and section sizes. A tristate
 * driver's module exists whether the config builds it in (`modules.builtin`) or as a `.ko`; a
 * library module carries no driver, only exports. Designed so that a real `.ko`'s ELF fills it.
 */
export const ModuleDefinition = z
  .object({
    /** The module name (underscores), as lsmod and /proc/modules show it. */
    name: z.string().regex(/^\w+$/),
    kconfig: z.string().regex(/^CONFIG_\w+$/),
    /** Path under /lib/modules/<release>/, e.g. `kernel/drivers/virtio/virtio_mmio.ko`. */
    path: z.string().regex(/^(kernel|extra|updates)\/[\w./+-]+\.ko(\.(xz|zst|gz))?$/),
    /**
     * modinfo tags in their `.modinfo` order (license, description, author, alias, softdep...);
     * the aliases of the drivers' OF tables and depends/intree/name/vermagic follow, as modpost emits them.
     */
    info: z.array(z.tuple([z.string().regex(/^\w+$/), z.string()])).default([]),
    /** `info` is the whole `.modinfo` of a real build (aliases, depends, name, vermagic included). */
    complete: z.boolean().default(false),
    /** Device-table aliases other than OF ones (`acpi*:…`), which modpost emits after the OF entries. */
    tableAliases: z.array(z.string()).default([]),
    /** False for an out-of-tree module (no `intree` tag: taint O). */
    intree: z.boolean().default(true),
    /** Carries an appended signature the kernel's keyring accepts. */
    signed: z.boolean().default(true),
    /** The appended PKCS#7 signature's octets (hex), which modinfo prints. */
    signature: z
      .string()
      .regex(/^[0-9A-F]*$/)
      .optional(),
    /** The vermagic it was built with, when it differs from the kernel's. */
    vermagic: z.string().optional(),
    params: z.array(ModuleParam).default([]),
    exports: z.array(ExportedSymbol).default([]),
    imports: z.array(ImportedSymbol).default([]),
    /** MODULE_IMPORT_NS tags. */
    importNamespaces: z.array(z.string()).default([]),
    /** module_init / module_exit present. An init without an exit makes the module [permanent]. */
    hasInit: z.boolean().default(true),
    hasExit: z.boolean().default(true),
    /** What the init function does besides registering the module's drivers. */
    init: z
      .object({
        us: z.number().nonnegative().default(0),
        messages: z.array(Message).default([]),
        /** The init function returns this errno (after registering nothing). */
        fails: Errno.optional(),
        netdevs: NetdevsAtInit.optional(),
        heaps: HeapsAtInit.optional(),
        /** do_one_initcall's `fn+0x0/0x<size>` for initcall_debug. */
        fn: z.string().regex(/^\w+$/).optional(),
        size: z.number().int().nonnegative().default(0),
      })
      .strict()
      .default({ us: 0, messages: [], size: 0 }),
    /** Section sizes in bytes. /proc/modules adds them page-aligned per region, as STRICT_MODULE_RWX lays them out. */
    sizes: z
      .object({
        text: z.number().int().nonnegative(),
        rodata: z.number().int().nonnegative().default(0),
        data: z.number().int().nonnegative().default(0),
        /** .data..ro_after_init and __jump_table: a region of its own since 6.4 (MOD_RO_AFTER_INIT). */
        roAfterInit: z.number().int().nonnegative().default(0),
        initText: z.number().int().nonnegative().default(0),
        initData: z.number().int().nonnegative().default(0),
      })
      .strict(),
  })
  .strict()
export type ModuleDefinition = z.infer<typeof ModuleDefinition>

/** How the kernel build treats modules (CONFIG_MODULE_SIG*, MODVERSIONS, FORCE_UNLOAD) and how userspace coldplugs them. */
export const ModulePolicy = z
  .object({
    vermagic: z.string().min(1),
    /** CONFIG_MODULE_SIG_FORCE (or module.sig_enforce on the command line). */
    sigEnforce: z.boolean().default(false),
    /** CONFIG_MODVERSIONS: imported symbols' CRCs are checked. */
    modversions: z.boolean().default(false),
    /** CONFIG_MODULE_FORCE_UNLOAD: `rmmod -f` can remove a busy or exit-less module. */
    forceUnload: z.boolean().default(false),
    /**
     * Coldplug at the start of userspace: `udev` loads modules for each device's modalias in
     * device order; `modules.load` loads the list in order first (Android first-stage init), then
     * what udev still finds.
     */
    coldplug: z.enum(['udev', 'modules.load', 'none']).default('udev'),
    modulesLoad: z.array(z.string().regex(/^\w+$/)).default([]),
    /** The build's module signing key, as modinfo describes a signed module. */
    signingKey: z
      .object({ signer: z.string(), keyId: z.string(), hashAlgo: z.string() })
      .strict()
      .optional(),
  })
  .strict()
export type ModulePolicy = z.infer<typeof ModulePolicy>

/** A module definition as written in a profile's files, before defaults apply. */
export type ModuleInput = z.input<typeof ModuleDefinition>

/**
 * module-behaviour.json: what a module's init does when it runs, curated from real transcripts
 * and sources (the messages its init prints, the errno it returns on a machine without its
 * hardware, what it registers), by module name. It applies to the catalog's module of that name
 * and to one a patch series adds; `builtin` is the same code's initcall when the config builds it
 * in (a module_init-only object the reference build left out, such as the DMA-BUF heaps).
 */
export const ModuleBehaviours = z.record(
  z.string().regex(/^\w+$/),
  z
    .object({
      messages: z.array(Message).default([]),
      fails: Errno.optional(),
      netdevs: NetdevsAtInit.optional(),
      heaps: HeapsAtInit.optional(),
      builtin: z
        .object({
          kconfig: z.string().regex(/^CONFIG_\w+$/),
          /** The init function, as initcall_debug names it. */
          initcall: z.string().regex(/^\w+$/),
          /** module_init is device_initcall when built in (include/linux/module.h:88). */
          level: InitcallLevel,
          /** `file:line` of the registration. */
          at: z.string(),
        })
        .strict()
        .optional(),
      /** Where the behaviour was seen, and why. */
      source: z.string(),
    })
    .strict(),
)
export type ModuleBehaviours = z.infer<typeof ModuleBehaviours>
