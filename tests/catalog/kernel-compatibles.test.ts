import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  kernelCompatibles,
  type BuildDrivers,
  readKernelCompatibles,
  writeKernelCompatibles,
} from '../../src-main/catalog/kernel-compatibles'
import { loadKernelProfile } from '../../src-main/catalog/kernel-profiles'
import { KernelRegistry } from '../../src-main/catalog/kernel-registry'

const KERNELS = join(__dirname, '..', '..', 'resources', 'kernels')

describe('recorded kernel compatibles', () => {
  const made: string[] = []
  afterEach(() => made.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })))

  it.each(['debian-6.12-arm64', 'debian-6.1-arm64'])(
    "%s's record is fresh and says what its build says",
    (id) => {
      const dir = join(KERNELS, id)
      // Stale after an edit of the kernel's files: rewrite it with scripts/refresh-compatibles.ts.
      expect(readKernelCompatibles(dir)).toEqual(kernelCompatibles(loadKernelProfile(dir)))
      const registry = new KernelRegistry(KERNELS)
      expect(registry.compatibles(id)?.name).toBe(registry.find(id)?.name)
    },
  )

  it('is ignored once a file it was computed from changes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modlab-compatibles-'))
    made.push(dir)
    copyFileSync(join(KERNELS, 'debian-6.12-arm64', 'kernel.json'), join(dir, 'kernel.json'))
    writeFileSync(join(dir, 'drivers.json'), '[]')
    const driver = { name: 'acme', module: 'acme', kconfig: 'ACME', compatible: ['acme,uart'] }
    writeKernelCompatibles(dir, {
      config: { ACME: 'm' },
      drivers: [driver] as BuildDrivers['drivers'],
      foreignDrivers: [],
    })
    expect(readKernelCompatibles(dir)).toEqual(new Set(['acme,uart']))
    writeFileSync(join(dir, 'drivers.json'), '[ ]')
    expect(readKernelCompatibles(dir)).toBeUndefined()
  })
})
