import type { KernelProfile } from '../kernel-profile-schema'
import { deriveDigest } from '../profile-digest'
import { applyChange, Variant } from './apply-change'
import { buildForms } from './build-form'
import { SeriesError } from './series-loader'
import type { AppliedSeries, SeriesDefinition } from './series-schema'

/** `6.12` for a profile imitating 6.12. */
export function versionOf(profile: KernelProfile): string {
  return `${profile.version[0]}.${profile.version[1]}`
}

/** Why the series cannot be applied to this kernel, or undefined. */
export function seriesProblem(
  profile: KernelProfile,
  series: SeriesDefinition,
): string | undefined {
  const version = versionOf(profile)
  if (series.appliesTo.includes(version)) return undefined
  const merged = series.merged.status === 'merged' ? `; merged in v${series.merged.in}` : ''
  const applies =
    series.appliesTo.length > 0
      ? `it applies to ${series.appliesTo.join(', ')}`
      : (series.notApplicable as string)
  return `series ${series.name} does not apply to kernel ${profile.id} (${version}): ${applies}${merged}`
}

const applied = new WeakMap<KernelProfile, Map<string, KernelProfile>>()

/**
 * The kernel variant a profile becomes with these series applied in order: exports added, Kconfig
 * symbols made tristate (with the modules they build), selects dropped, registrations converted;
 * what each change did is kept in `series`. Refused for a series that does not apply to the
 * kernel, or one given twice. Pure and deterministic; the same inputs give the same object.
 */
export function applySeries(
  profile: KernelProfile,
  seriesList: readonly SeriesDefinition[],
): KernelProfile {
  if (seriesList.length === 0) return profile
  const key = seriesList.map((series) => series.name).join('\n')
  const cached = applied.get(profile)?.get(key)
  if (cached) return cached
  const names = new Set((profile.series ?? []).map((series) => series.name))
  for (const series of seriesList) {
    if (names.has(series.name))
      throw new SeriesError(`series ${series.name} is applied twice to kernel ${profile.id}`)
    names.add(series.name)
    const problem = seriesProblem(profile, series)
    if (problem) throw new SeriesError(problem)
  }
  const variant = new Variant(profile)
  const records: AppliedSeries[] = seriesList.map((series) => ({
    name: series.name,
    title: series.title,
    changes: [
      ...series.prerequisites.flatMap((prerequisite) =>
        prerequisite.changes.map((change) => ({
          change,
          outcome: `prerequisite (${prerequisite.summary}): ${applyChange(variant, change)}`,
        })),
      ),
      ...series.changes.map((change) => ({ change, outcome: applyChange(variant, change) })),
    ],
  }))
  // A copy of the descriptors: what the profile reads lazily and the series left alone stays unread.
  const copy = Object.defineProperties(
    {},
    Object.getOwnPropertyDescriptors(profile),
  ) as KernelProfile
  const forms = variant.drivers.some((def) => def.form)
  Object.assign(copy, {
    drivers: buildForms(variant.drivers, profile.config),
    driverForms: forms ? variant.drivers : undefined,
    modules: variant.modules,
    series: [...(profile.series ?? []), ...records],
  })
  if (variant.exportsChanged)
    Object.defineProperty(copy, 'exports', {
      value: variant.exports,
      enumerable: true,
      writable: true,
    })
  if (variant.kconfigChanged)
    Object.defineProperty(copy, 'kconfig', {
      value: variant.kconfig,
      enumerable: true,
      writable: true,
    })
  // The series' whole definitions, not their names: what the variant derives from is their content.
  deriveDigest(copy, profile, 'series', JSON.stringify(seriesList))
  let byKey = applied.get(profile)
  if (!byKey) applied.set(profile, (byKey = new Map()))
  byKey.set(key, copy)
  return copy
}

/** Whether an applied series set `.owner = THIS_MODULE` on this module's object. */
export function ownerSet(
  profile: KernelProfile,
  module: string,
  object: 'clocksource' | 'clockevent' | 'iommu_ops',
): boolean {
  return (profile.series ?? []).some((series) =>
    series.changes.some(
      ({ change, outcome }) =>
        change.kind === 'module_owner' &&
        change.module === module &&
        change.object === object &&
        outcome.endsWith('recorded'),
    ),
  )
}

/** Whether an applied series removed `__init`/`__initdata` from this symbol. */
export function initRemoved(profile: KernelProfile, symbol: string): boolean {
  return (profile.series ?? []).some((series) =>
    series.changes.some(({ change }) => change.kind === 'remove_init' && change.symbol === symbol),
  )
}
