import { createHash } from 'node:crypto'
import type { KernelProfile } from './kernel-profile-schema'

/**
 * What a kernel profile object was made from, as a hash: the bytes of its folder's files for a
 * loaded profile, then the config overrides or series definitions of each variant made from it.
 * Kept by object identity, so a profile assembled any other way (a spread, a test's own) has none
 * and what is derived from it is never taken from the disk cache.
 */
const digests = new WeakMap<KernelProfile, string>()

export function profileDigest(profile: KernelProfile): string | undefined {
  return digests.get(profile)
}

/** A hash of parts, each length-prefixed so that no two lists of parts run into one another. */
export function digestOf(parts: readonly (string | Uint8Array)[]): string {
  const hash = createHash('sha256')
  for (const part of parts) {
    hash.update(`${typeof part === 'string' ? Buffer.byteLength(part) : part.length}:`)
    hash.update(part)
  }
  return hash.digest('hex')
}

export function setProfileDigest(profile: KernelProfile, digest: string): KernelProfile {
  digests.set(profile, digest)
  return profile
}

/** A variant's digest: its base's and what made the variant, when the base has one. */
export function deriveDigest(
  variant: KernelProfile,
  base: KernelProfile,
  how: string,
  what: string,
): KernelProfile {
  const digest = digests.get(base)
  if (digest !== undefined) digests.set(variant, digestOf([digest, how, what]))
  return variant
}
