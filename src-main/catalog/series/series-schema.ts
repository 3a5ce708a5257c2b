import { z } from 'zod'
import { InitcallLevel } from '../driver-schema'

/**
 * An upstream patch series as data (resources/series/<name>.json): where it was posted, whether
 * and where it was merged, which kernels it applies to, and what it changes that modlab can apply
 * to a kernel profile. Each fact carries its source; what could not be verified is said in `notes`.
 */

const ConfigSymbol = z.string().regex(/^CONFIG_\w+$/, 'a Kconfig symbol such as CONFIG_MTK_TIMER')
const SymbolName = z.string().regex(/^[A-Za-z_]\w*$/, 'a C identifier')
const ModuleName = z.string().regex(/^\w+$/, 'a module name (underscores, as lsmod shows it)')
const Version = z.string().regex(/^\d+\.\d+$/, 'a kernel version such as 6.12')

export const SeriesSource = z
  .object({
    /** The mailing list (or lists) the cover letter went to. */
    list: z.string().min(1),
    /** The cover letter's Message-ID, without angle brackets. */
    messageId: z.string().regex(/^[^<>\s]+@[^<>\s]+$/, 'a Message-ID without <>'),
    /** Where the thread can be read. */
    url: z.url().optional(),
    author: z.string().min(1),
    /** The posting date of this version, YYYY-MM-DD. */
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD'),
    /** `v5`, `RFC`, `v1`... */
    version: z.string().min(1),
    /** Each patch's subject, in order. */
    patches: z.array(z.string().min(1)).min(1),
  })
  .strict()

export const SeriesMerge = z.discriminatedUnion('status', [
  z
    .object({
      status: z.literal('merged'),
      /** The first release that carries it (`6.18`). */
      in: Version,
      /** How this is known. */
      evidence: z.string().min(1),
    })
    .strict(),
  z.object({ status: z.literal('not-merged'), evidence: z.string().min(1) }).strict(),
  /** Queued in a maintainer tree or linux-next; not in a release modlab can check. */
  z
    .object({
      status: z.literal('queued'),
      for: Version.optional(),
      evidence: z.string().min(1),
    })
    .strict(),
])
export type SeriesMerge = z.infer<typeof SeriesMerge>

/** The `.ko` a change makes the build produce where the kernel describes none. */
export const SeriesModule = z
  .object({
    name: ModuleName,
    /** Under /lib/modules/<release>/. */
    path: z.string().regex(/^kernel\/[\w./+-]+\.ko$/, 'a path such as kernel/drivers/x/y.ko'),
    license: z.string().min(1),
    description: z.string().optional(),
    /** module_exit present; without it the module is `[permanent]`. */
    hasExit: z.boolean(),
    /** Symbols the module needs from the kernel that the series is about (not a full import list). */
    imports: z.array(SymbolName).default([]),
    importNamespaces: z.array(z.string().min(1)).default([]),
  })
  .strict()
export type SeriesModule = z.infer<typeof SeriesModule>

/** The patch of the series making a change, by its index in `source.patches` (from 1). */
const Patch = z.number().int().positive().optional()

/** One thing a series changes, each with the patch (by its index in `source.patches`, from 1). */
export const SeriesChange = z.discriminatedUnion('kind', [
  /** EXPORT_SYMBOL(_GPL)(_NS) added to the kernel image. */
  z
    .object({
      kind: z.literal('export'),
      patch: Patch,
      symbol: SymbolName,
      gpl: z.boolean(),
      namespace: z.string().min(1).optional(),
    })
    .strict(),
  /** `__init` / `__initdata` removed: the code or data stays after boot, a module may reference it. */
  z
    .object({
      kind: z.literal('remove_init'),
      patch: Patch,
      symbol: SymbolName,
      section: z.enum(['__init', '__initdata']),
      file: z.string().min(1),
    })
    .strict(),
  /** A `bool` Kconfig symbol made `tristate`, with the modules its drivers then build into. */
  z
    .object({
      kind: z.literal('kconfig_tristate'),
      patch: Patch,
      symbol: ConfigSymbol,
      modules: z.array(SeriesModule).default([]),
    })
    .strict(),
  /** A `select` dropped: `by` (an ARCH_ symbol) no longer forces `symbol` on. */
  z
    .object({
      kind: z.literal('kconfig_unselect'),
      patch: Patch,
      symbol: ConfigSymbol,
      by: ConfigSymbol,
    })
    .strict(),
  /**
   * A driver's registration converted (`TIMER_OF_DECLARE` → `module_platform_driver`): the
   * module's drivers that registered as `from` become platform drivers named `name`. `when:
   * "module"` keeps the old registration when built in (`#ifndef MODULE`), `always` replaces it.
   */
  z
    .object({
      kind: z.literal('registration'),
      patch: Patch,
      module: ModuleName,
      from: z.enum(['of_declare', 'initcall']),
      to: z.enum(['module_platform_driver', 'builtin_platform_driver']),
      name: z.string().min(1),
      /** The function the macro defines (`mtk_timer_driver_init`), as initcall_debug names it. */
      initcall: SymbolName,
      level: InitcallLevel.default('device'),
      when: z.enum(['module', 'always']),
    })
    .strict(),
  /** `.owner = THIS_MODULE` set on a clocksource, clockevent or iommu_ops of a module. */
  z
    .object({
      kind: z.literal('module_owner'),
      patch: Patch,
      module: ModuleName,
      object: z.enum(['clocksource', 'clockevent', 'iommu_ops']),
    })
    .strict(),
  /** module_exit() added (or, with `present: false`, known absent: `[permanent]`). */
  z
    .object({
      kind: z.literal('module_exit'),
      patch: Patch,
      module: ModuleName,
      present: z.boolean(),
    })
    .strict(),
  /** A change of behaviour modlab does not apply (a code path rewritten); named so it is not lost. */
  z
    .object({
      kind: z.literal('code'),
      patch: Patch,
      file: z.string().min(1),
      summary: z.string().min(1),
      /**
       * What a module built against the patched tree references instead of what the unpatched
       * sources made it reference (an inline turned into an exported function).
       */
      references: z.array(z.object({ instead: SymbolName, uses: SymbolName }).strict()).optional(),
    })
    .strict(),
])
export type SeriesChange = z.infer<typeof SeriesChange>

export const SeriesDefinition = z
  .object({
    /** The file name without `.json`, used by `--series`. */
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower case words joined by -'),
    title: z.string().min(1),
    source: SeriesSource,
    merged: SeriesMerge,
    /** Kernel versions (`6.12`) modlab can apply it to; empty when it applies to none of them. */
    appliesTo: z.array(Version),
    /** Why it applies to no kernel modlab ships, when `appliesTo` is empty or short. */
    notApplicable: z.string().min(1).optional(),
    changes: z.array(SeriesChange).min(1),
    /**
     * Changes of other series this one was written on top of, applied before it on an older
     * kernel that lacks them (each with where it comes from).
     */
    prerequisites: z
      .array(
        z
          .object({
            summary: z.string().min(1),
            source: z.string().min(1),
            changes: z.array(SeriesChange).min(1),
          })
          .strict(),
      )
      .default([]),
    /** What is uncertain, and what the data leaves out. */
    notes: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .superRefine((series, context) => {
    series.changes.forEach((change, index) => {
      if (change.patch === undefined)
        context.addIssue({
          code: 'custom',
          path: ['changes', index, 'patch'],
          message: 'the patch of the series that makes this change',
        })
      else if (change.patch > series.source.patches.length)
        context.addIssue({
          code: 'custom',
          path: ['changes', index, 'patch'],
          message: `patch ${change.patch} but the series has ${series.source.patches.length}`,
        })
    })
    if (series.appliesTo.length === 0 && !series.notApplicable)
      context.addIssue({
        code: 'custom',
        path: ['notApplicable'],
        message: 'a series that applies to no kernel says why',
      })
  })
export type SeriesDefinition = z.infer<typeof SeriesDefinition>

/** What applying a series did to a profile, kept on the profile (`KernelProfile.series`). */
export const AppliedSeries = z
  .object({
    name: z.string(),
    title: z.string(),
    changes: z.array(
      z
        .object({
          change: SeriesChange,
          /** `applied`, or why not (`already exported`, `no module timer_sun5i in this kernel`). */
          outcome: z.string(),
        })
        .strict(),
    ),
  })
  .strict()
export type AppliedSeries = z.infer<typeof AppliedSeries>
