/**
 * The what-if in the API contract: a change per Kconfig symbol, tried on boards and a kernel.
 * Spread into `requestSchemas` in contract.ts; the renderer imports these types through it.
 */
import { z } from 'zod'
import { ResourceId, SeriesNames } from './common-contract'
import { SessionId } from './sessions-contract'

export type * from '../analysis/whatif-types'

export const whatifRequestSchemas = {
  /** The what-if: a change per Kconfig symbol on boards and a kernel (and series). */
  'whatif:run': z
    .object({
      /** The session the what-if is recorded in, as one action; none: not recorded. */
      sessionId: SessionId.optional(),
      profiles: z.union([z.literal('all'), z.array(ResourceId).min(1).max(16)]),
      kernel: ResourceId,
      /** By Kconfig symbol, or by the name of the module the symbol builds (`arm_smmu`). */
      changes: z
        .record(
          z.string().regex(/^(CONFIG_)?\w{1,100}$/, 'a Kconfig symbol or a module name'),
          z.enum(['y', 'm', 'n', 'free']),
        )
        .refine((changes) => Object.keys(changes).length > 0, 'name at least one Kconfig change')
        .refine((changes) => Object.keys(changes).length <= 64, 'at most 64 Kconfig changes'),
      series: SeriesNames,
      /** When boot B loads the changed modules: coldplug, never, or `modprobe` at a time. */
      load: z
        .discriminatedUnion('kind', [
          z.object({ kind: z.literal('coldplug') }).strict(),
          z.object({ kind: z.literal('never') }).strict(),
          z.object({ kind: z.literal('at'), seconds: z.number().min(0).max(3600) }).strict(),
        ])
        .default({ kind: 'coldplug' }),
    })
    .strict(),
}

export type WhatIfRequest = z.input<(typeof whatifRequestSchemas)['whatif:run']>
