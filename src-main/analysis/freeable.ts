import type { KernelProfile } from '../catalog/kernel-profile-schema'
import type { FreeableSymbol } from '../kernel/free-unused'
import { builtinBytes, moduleBytes } from './memory'
import type { BuildRecords } from './verdict'
import { symbolSizes } from './whatif-memory'

/**
 * What a boot needs to know of the profile's `freeUnused` symbols (the proposal the what-if's
 * `free` asks about): their sizes as the memory table counts them (built in, and rounded to pages
 * as a module's regions are), and the symbols whose code calls theirs, from the real build.
 */
export function freeableSymbols(
  profile: KernelProfile,
  build: BuildRecords | undefined,
): FreeableSymbol[] {
  const page = profile.pageSizeK * 1024
  return (profile.freeUnused ?? [])
    .filter((symbol) => profile.config[symbol] === 'y')
    .map((symbol) => {
      const sizes = symbolSizes(profile, symbol, build)
      return {
        symbol,
        users: build?.neededBy(symbol) ?? [],
        ...(sizes
          ? {
              sizes: {
                exact: builtinBytes(sizes),
                pages: moduleBytes(sizes, page).core,
                source: sizes.source,
              },
            }
          : {}),
      }
    })
}
