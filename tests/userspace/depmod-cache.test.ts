import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { codeDigest, readDerived, writeDerived } from '../../src-main/catalog/derived-cache'
import { readKernelProfile, withConfig } from '../../src-main/catalog/kernel-profiles'
import type { KernelProfile } from '../../src-main/catalog/kernel-profile-schema'
import { importedNames } from '../../src-main/catalog/module-codec'
import { profileDigest, setProfileDigest } from '../../src-main/catalog/profile-digest'
import { loadBuiltinProfiles } from '../../src-main/hardware/builtin-profiles'
import { bootWithUserspace, machineInputs } from '../../src-main/sessions/boot-runner'
import type { DepmodOutput } from '../../src-main/userspace/depmod'
import { cachedDepmod } from '../../src-main/userspace/depmod-cache'

const ROOT = join(__dirname, '..', '..')
const KERNEL = join(ROOT, 'resources', 'kernels', 'debian-6.12-arm64')

let dir: string
const saved = process.env.MODLAB_CACHE_DIR
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'modlab-cache-test-'))
  process.env.MODLAB_CACHE_DIR = dir
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
  if (saved === undefined) delete process.env.MODLAB_CACHE_DIR
  else process.env.MODLAB_CACHE_DIR = saved
})

/** A depmod run, and how many times it ran. */
function counted(output: DepmodOutput) {
  const counter = { runs: 0, run: () => (counter.runs++, output) }
  return counter
}

const small = (): DepmodOutput => ({
  files: { 'modules.dep': 'kernel/a.ko: kernel/b.ko\nkernel/b.ko:\n', 'modules.alias': 'é\n' },
  warnings: ['depmod: WARNING: x\n'],
  dependencies: new Map([
    ['a', ['kernel/b.ko']],
    ['b', []],
  ]),
})

const entry = () => {
  const [name] = readdirSync(dir).filter((file) => file.endsWith('.derived'))
  if (!name) throw new Error('no cache entry was written')
  return join(dir, name)
}

describe('the disk cache of depmod runs', () => {
  it('stores a run and gives it back to the next reader without running depmod', () => {
    const first = counted(small())
    expect(cachedDepmod('digest-1', first.run)).toEqual(small())
    expect(first.runs).toBe(1)
    const second = counted(small())
    expect(cachedDepmod('digest-1', second.run)).toEqual(small())
    expect(second.runs).toBe(0)
    // Another profile's digest is another entry.
    const other = counted(small())
    cachedDepmod('digest-2', other.run)
    expect(other.runs).toBe(1)
  })

  const damaged: [string, (text: string) => string][] = [
    ['truncated', (text) => text.slice(0, text.length - 9)],
    ['with a byte of its body changed', (text) => text.replace('kernel/b.ko:', 'kernel/c.ko:')],
    [
      'written by other code',
      (text) => text.replace(/"code":"[0-9a-f]+"/, `"code":"${'0'.repeat(64)}"`),
    ],
    ['of another format', (text) => text.replace('"format":1', '"format":0')],
    ['stored under another key', (text) => text.replace('"key":"digest-1"', '"key":"digest-9"')],
    ['cut inside its header', (text) => text.slice(0, 20)],
    ['empty', () => ''],
    ['garbage', () => '\u0000\u0001garbage\n{"files":'],
  ]
  for (const [what, damage] of damaged) {
    it(`takes an entry ${what} for a miss: depmod runs, and the entry is written again`, () => {
      cachedDepmod('digest-1', counted(small()).run)
      writeFileSync(entry(), damage(readFileSync(entry(), 'utf8')))
      const again = counted(small())
      expect(cachedDepmod('digest-1', again.run)).toEqual(small())
      expect(again.runs).toBe(1)
      const third = counted(small())
      expect(cachedDepmod('digest-1', third.run)).toEqual(small())
      expect(third.runs).toBe(0)
    })
  }

  it('takes a well-formed entry of another shape for a miss', () => {
    writeDerived('depmod', 'digest-1', JSON.stringify({ files: { a: 1 }, warnings: [] }))
    const run = counted(small())
    expect(cachedDepmod('digest-1', run.run)).toEqual(small())
    expect(run.runs).toBe(1)
  })

  it('runs depmod when the cache folder cannot be written, or is off', () => {
    writeFileSync(join(dir, 'file'), '')
    process.env.MODLAB_CACHE_DIR = join(dir, 'file', 'below-a-file')
    const run = counted(small())
    expect(cachedDepmod('digest-1', run.run)).toEqual(small())
    expect(cachedDepmod('digest-1', run.run)).toEqual(small())
    expect(run.runs).toBe(2)
    process.env.MODLAB_CACHE_DIR = 'off'
    expect(readDerived('depmod', 'digest-1')).toBeUndefined()
  })

  it("changes the code's digest when a source file changes", () => {
    const src = join(dir, 'src')
    const file = join(src, 'catalog', 'derived-cache.ts')
    for (const path of [file, join(src, 'userspace', 'depmod.ts')]) {
      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(path, 'a')
    }
    const before = codeDigest(file)
    writeFileSync(join(src, 'userspace', 'depmod.ts'), 'b')
    expect(codeDigest(file)).not.toBe(before)
  })
})

describe('profile digests', () => {
  const profile = readKernelProfile(KERNEL)

  it('cover what a profile is made from: its files, then each variant, never a copy', () => {
    const digest = profileDigest(profile)
    expect(digest).toMatch(/^[0-9a-f]{64}$/)
    expect(profileDigest(readKernelProfile(KERNEL))).toBe(digest)
    const variant = withConfig(profile, { CONFIG_ARM_SMMU: 'm' })
    expect(profileDigest(variant)).toMatch(/^[0-9a-f]{64}$/)
    expect(profileDigest(variant)).not.toBe(digest)
    expect(profileDigest({ ...profile })).toBeUndefined()
  })

  it("read a module's imported names from the catalog as its decoded imports name them", () => {
    const fresh = readKernelProfile(KERNEL)
    const names = fresh.modules.map(importedNames)
    expect(names.flat().length).toBeGreaterThan(100_000)
    expect(names).toEqual(
      fresh.modules.map((module) =>
        module.imports.map((entry) => (typeof entry === 'string' ? entry : entry.name)),
      ),
    )
  })

  it('give a boot from the disk cache the same module tree and dmesg as one that ran depmod', () => {
    const board = loadBuiltinProfiles(join(ROOT, 'resources', 'profiles')).find(
      (candidate) => candidate.file.id === 'qemu-virt',
    )
    if (!board) throw new Error('no built-in board qemu-virt')
    // Another object of the same content (as a profile read again): its module tree is derived
    // again, or read from disk.
    const copy = () =>
      setProfileDigest(
        Object.defineProperties({}, Object.getOwnPropertyDescriptors(profile)) as KernelProfile,
        profileDigest(profile) as string,
      )
    const boot = () => {
      const { kernel, shell } = bootWithUserspace(
        machineInputs(copy(), board.tree, {
          cmdline: board.file.bootargs,
          memory: board.file.memory,
        }),
      )
      return {
        dmesg: kernel.log.records.map((record) => record.text),
        files: shell.system.depmodFiles,
        lsmod: shell.runOne('lsmod').stdout,
        dep: shell.system.dependencies('arm_smmu'),
      }
    }
    const ran = boot()
    expect(readdirSync(dir).filter((file) => file.endsWith('.derived'))).toHaveLength(1)
    expect(boot()).toEqual(ran)
  })
})
