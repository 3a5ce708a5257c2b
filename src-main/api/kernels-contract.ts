/**
 * The kernels part of the API contract: the kernel profiles, their import from a build, and the
 * upstream patch series a boot or a what-if applies to them. Spread into `requestSchemas` in
 * contract.ts; the renderer imports these types through it.
 */
import { z } from 'zod'
import { NoArguments, ResourceId } from './common-contract'

export const kernelsRequestSchemas = {
  'kernels:list': NoArguments,
  'kernels:import': z
    .object({
      /** A `/lib/modules/<release>` folder or a linux-image `.deb`, on the machine running modlab. */
      path: z.string().min(1, 'the path of a modules folder or a .deb').max(4096),
      name: z.string().trim().min(1).max(64).optional(),
      config: z.string().min(1).max(4096).optional(),
      symvers: z.string().min(1).max(4096).optional(),
      systemMap: z.string().min(1).max(4096).optional(),
    })
    .strict(),
  'kernels:delete': z.object({ id: ResourceId }).strict(),
  'series:list': NoArguments,
}

export type KernelImportRequest = z.input<(typeof kernelsRequestSchemas)['kernels:import']>

export interface KernelSummary {
  id: string
  name: string
  description: string
  release: string
  drivers: number
  /** Loadable modules of the build (`.ko` files). */
  modules: number
  /** Shipped with modlab, or imported by the user (and deletable). */
  origin: 'builtin' | 'user'
}

export interface KernelImportSummary extends KernelSummary {
  builtinModules: number
  exports: number
  /** The built-in kernel that lends its core boot. */
  base: string
  /** What the build did not provide, and what that costs. */
  notes: string[]
}

/** An upstream patch series a boot or a what-if can apply (resources/series). */
export interface SeriesSummary {
  name: string
  title: string
  /** Kernel versions it applies to (`6.12`). */
  appliesTo: string[]
  /** `merged in 6.18`, `queued`, `not merged`. */
  merged: string
  author: string
  date: string
  url?: string
  /** Kconfig symbols it makes tristate: what it lets a what-if ask for. */
  tristate: string[]
}
