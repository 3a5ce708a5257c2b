import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { KernelHeader, type KernelProfile } from './kernel-profile-schema'
import { kernelCompatibles, readKernelCompatibles } from './kernel-compatibles'
import { KernelProfileError, loadKernelProfile } from './kernel-profiles'

/** What a list of kernels shows, read without loading a whole build (4,000 modules take seconds). */
export interface KernelEntry {
  id: string
  dir: string
  origin: 'builtin' | 'user'
  name: string
  description: string
  release: string
  version: [number, number]
  /** summary.json beside a generated catalog: its counts. */
  modules?: number
  drivers?: number
}

export interface KernelListing {
  kernels: KernelEntry[]
  /** User kernel folders that no longer load, named with why: listed, never fatal. */
  broken: { id: string; problem: string }[]
}

/** The counts a catalog's writer records beside it, so that listing a kernel never loads it. */
export const SUMMARY_FILE = 'summary.json'

function entryOf(dir: string, id: string, origin: KernelEntry['origin']): KernelEntry {
  let header
  try {
    header = KernelHeader.parse(JSON.parse(readFileSync(join(dir, 'kernel.json'), 'utf8')))
  } catch (error) {
    throw new KernelProfileError(join(dir, 'kernel.json'), (error as Error).message)
  }
  const summaryPath = join(dir, SUMMARY_FILE)
  const summary = existsSync(summaryPath)
    ? (JSON.parse(readFileSync(summaryPath, 'utf8')) as { modules?: number; drivers?: number })
    : undefined
  return {
    id,
    dir,
    origin,
    name: header.name,
    description: header.description,
    release: header.release,
    version: header.version,
    modules: summary?.modules,
    drivers: summary?.drivers,
  }
}

/**
 * The kernel profiles a host offers: the built-in ones (resources/kernels), then the user's
 * imported ones (`<data dir>/kernels`). Listing reads headers only; a profile is loaded (and
 * cached) when a boot or a check asks for it by id.
 */
export class KernelRegistry {
  constructor(
    readonly builtinDir: string,
    readonly userDir?: string,
  ) {}

  private folders(dir: string | undefined): string[] {
    if (!dir || !existsSync(dir)) return []
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .filter((entry) => existsSync(join(dir, entry.name, 'kernel.json')))
      .map((entry) => entry.name)
      .sort()
  }

  /** The built-in kernels' headers, the default first. */
  builtinEntries(): KernelEntry[] {
    return this.folders(this.builtinDir).map((id) =>
      entryOf(join(this.builtinDir, id), id, 'builtin'),
    )
  }

  list(): KernelListing {
    const broken: KernelListing['broken'] = []
    const user: KernelEntry[] = []
    for (const id of this.folders(this.userDir)) {
      try {
        user.push(entryOf(join(this.userDir as string, id), id, 'user'))
      } catch (error) {
        broken.push({ id, problem: (error as Error).message })
      }
    }
    return { kernels: [...this.builtinEntries(), ...user], broken }
  }

  /** The folder of a built-in or imported kernel. */
  dirOf(id: string): string | undefined {
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(id)) return undefined
    for (const dir of [this.builtinDir, this.userDir]) {
      if (dir && existsSync(join(dir, id, 'kernel.json'))) return join(dir, id)
    }
    return undefined
  }

  /** The profile of a built-in or imported kernel, loaded on first use. */
  find(id: string): KernelProfile | undefined {
    const dir = this.dirOf(id) ?? this.seriesDir(id)
    return dir === undefined ? undefined : loadKernelProfile(dir)
  }

  /** A series (`6.12`) names the one built-in kernel of that version, when there is exactly one. */
  private seriesDir(series: string): string | undefined {
    const match = /^(\d+)\.(\d+)$/.exec(series)
    if (!match) return undefined
    const [major, minor] = [Number(match[1]), Number(match[2])]
    const of = this.builtinEntries().filter(
      (entry) => entry.version[0] === major && entry.version[1] === minor,
    )
    return of.length === 1 ? of[0]?.dir : undefined
  }

  /** A kernel's name and the compatibles its drivers match, without loading its build when recorded. */
  compatibles(id: string): { name: string; compatibles: Set<string> } | undefined {
    const dir = this.dirOf(id)
    if (dir === undefined) return undefined
    const recorded = readKernelCompatibles(dir)
    if (recorded) return { name: entryOf(dir, id, 'builtin').name, compatibles: recorded }
    const kernel = loadKernelProfile(dir)
    return { name: kernel.name, compatibles: kernelCompatibles(kernel) }
  }

  /** The default kernel: the first built-in one. */
  first(): KernelProfile | undefined {
    const [first] = this.folders(this.builtinDir)
    return first ? loadKernelProfile(join(this.builtinDir, first)) : undefined
  }
}
