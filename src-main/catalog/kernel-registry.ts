import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { KernelProfile } from './kernel-profile-schema'
import { KernelProfileError, loadKernelProfile, loadKernelProfiles } from './kernel-profiles'

export interface KernelListing {
  kernels: KernelProfile[]
  /** User kernel folders that no longer load, named with why: listed, never fatal. */
  broken: { id: string; problem: string }[]
}

/**
 * The kernel profiles a host offers: the built-in ones (resources/kernels), then the user's
 * imported ones (`<data dir>/kernels`), read again only when a folder changed.
 */
export class KernelRegistry {
  private builtinKernels?: KernelProfile[]

  constructor(
    readonly builtinDir: string,
    readonly userDir?: string,
  ) {}

  builtins(): KernelProfile[] {
    this.builtinKernels ??= loadKernelProfiles(this.builtinDir)
    return this.builtinKernels
  }

  list(): KernelListing {
    const broken: KernelListing['broken'] = []
    const user: KernelProfile[] = []
    const dir = this.userDir
    if (dir && existsSync(dir)) {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (!entry.isDirectory() || entry.name.startsWith('.')) continue
        try {
          user.push(loadKernelProfile(join(dir, entry.name)))
        } catch (error) {
          const problem = error instanceof KernelProfileError ? error.message : String(error)
          broken.push({ id: entry.name, problem })
        }
      }
    }
    return { kernels: [...this.builtins(), ...user.sort((a, b) => (a.id < b.id ? -1 : 1))], broken }
  }

  find(id: string): KernelProfile | undefined {
    const builtin = this.builtins().find((kernel) => kernel.id === id)
    if (builtin) return builtin
    const folder = this.userDir && join(this.userDir, id)
    return folder && /^[a-z0-9][a-z0-9.-]*$/.test(id) && existsSync(join(folder, 'kernel.json'))
      ? loadKernelProfile(folder)
      : undefined
  }
}
