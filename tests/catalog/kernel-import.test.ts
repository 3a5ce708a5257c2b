import { execFileSync } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ElfObject, KoFormatError } from '../../src-main/catalog/import/elf'
import { importKernel, KernelImportError } from '../../src-main/catalog/import/kernel-import'
import { KernelRegistry } from '../../src-main/catalog/kernel-registry'
import { hasTool } from '../support/tools'

const ROOT = join(__dirname, '..', '..')
const registry = new KernelRegistry(join(ROOT, 'resources', 'kernels'))
const RELEASE = '6.12.117+deb12-arm64'
const REAL = join(ROOT, '.cache', 'kernels', RELEASE, 'lib', 'modules', RELEASE)
if (process.env.CI && !existsSync(REAL))
  throw new Error(`${REAL} is missing: .ci/run must fetch it`)
const SMALL = ['kernel/net/llc/llc.ko.xz', 'kernel/net/802/stp.ko.xz', 'kernel/net/802/garp.ko.xz']

/** A modules folder with a few of Debian's real modules (and their modules.order lines). */
function smallTree(extra: Record<string, Uint8Array> = {}): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'modlab-import-')), RELEASE)
  for (const path of SMALL) {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    copyFileSync(join(REAL, path), join(dir, path))
  }
  writeFileSync(
    join(dir, 'modules.order'),
    SMALL.map((p) => `${p.replace(/\.xz$/, '')}\n`).join(''),
  )
  for (const [name, bytes] of Object.entries(extra)) writeFileSync(join(dir, name), bytes)
  return dir
}

function elfHeader(machine: number): Uint8Array {
  const bytes = new Uint8Array(64)
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1])
  new DataView(bytes.buffer).setUint16(16, 1, true)
  new DataView(bytes.buffer).setUint16(18, machine, true)
  return bytes
}

describe('reading kernel modules', () => {
  it.each([
    [new Uint8Array(), 'empty file'],
    [new TextEncoder().encode('hello, not a module\n'), 'not an ELF file'],
    [elfHeader(183).subarray(0, 20), 'truncated ELF header'],
    [elfHeader(62), 'built for x86-64, not arm64'],
    [elfHeader(183), 'truncated: the section headers'],
  ])('refuses %#: %s', (bytes, message) => {
    expect(() => new ElfObject(bytes)).toThrow(KoFormatError)
    expect(() => new ElfObject(bytes)).toThrow(message)
  })
})

describe.skipIf(!existsSync(REAL))("importing a user's kernel build", () => {
  it('imports a modules folder as a kernel profile that boots and lists', () => {
    const data = mkdtempSync(join(tmpdir(), 'modlab-kernels-'))
    const progress: number[] = []
    const result = importKernel({ path: smallTree() }, registry, data, (done) =>
      progress.push(done),
    )
    expect(result).toMatchObject({ release: RELEASE, modules: 3, base: 'debian-6.12-arm64' })
    expect(progress).toEqual([1, 2, 3])
    const listed = new KernelRegistry(join(ROOT, 'resources', 'kernels'), data).find(result.id)
    expect(listed?.modules.find((m) => m.name === 'garp')?.imports.length).toBeGreaterThan(10)
    expect(result.notes.join(' ')).toMatch(/no Module.symvers or System.map/)
  })

  it('names every bad file and writes nothing', () => {
    const data = mkdtempSync(join(tmpdir(), 'modlab-kernels-'))
    const tree = smallTree({
      'notelf.ko': new TextEncoder().encode('#!/bin/sh\n'),
      'x86.ko': elfHeader(62),
      'bad.ko.xz': new Uint8Array([1, 2, 3]),
    })
    let error: unknown
    try {
      importKernel({ path: tree }, registry, data)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(KernelImportError)
    const problems = (error as KernelImportError).problems.map((p) => `${p.file}: ${p.problem}`)
    expect(problems).toEqual([
      expect.stringMatching(/^bad\.ko\.xz: not a valid \.xz file/),
      'notelf.ko: not an ELF file',
      'x86.ko: built for x86-64, not arm64 (AArch64)',
    ])
    expect(readdirSync(data)).toEqual([])
  })

  it("refuses a config that is not the tree's, and takes its own", () => {
    const data = mkdtempSync(join(tmpdir(), 'modlab-kernels-'))
    const config = join(mkdtempSync(join(tmpdir(), 'modlab-config-')), 'config')
    writeFileSync(
      config,
      'CONFIG_MODULES=y\nCONFIG_LLC=y\n# CONFIG_STP is not set\nCONFIG_GARP=m\n',
    )
    let error: unknown
    try {
      importKernel({ path: smallTree(), config }, registry, data)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(KernelImportError)
    expect((error as Error).message).toBe(
      `${config} is not this tree's: it does not set 2 of its 3 modules' symbols to m`,
    )
    expect((error as KernelImportError).problems).toEqual([
      { file: 'kernel/net/llc/llc.ko.xz', problem: 'CONFIG_LLC is y in the config' },
      { file: 'kernel/net/802/stp.ko.xz', problem: 'CONFIG_STP is unset in the config' },
    ])
    expect(readdirSync(data)).toEqual([])
    writeFileSync(config, 'CONFIG_MODULES=y\nCONFIG_LLC=m\nCONFIG_STP=m\nCONFIG_GARP=m\n')
    expect(importKernel({ path: smallTree(), config }, registry, data).modules).toBe(3)
  })

  it.skipIf(!hasTool('dpkg-deb'))('imports a linux-image .deb with its config', () => {
    const staging = mkdtempSync(join(tmpdir(), 'modlab-deb-'))
    const tree = smallTree()
    const root = join(staging, 'pkg')
    mkdirSync(join(root, 'DEBIAN'), { recursive: true })
    mkdirSync(join(root, 'lib', 'modules'), { recursive: true })
    mkdirSync(join(root, 'boot'))
    execFileSync('cp', ['-r', tree, join(root, 'lib', 'modules', RELEASE)])
    writeFileSync(
      join(root, 'boot', `config-${RELEASE}`),
      'CONFIG_MODULES=y\nCONFIG_HZ=250\nCONFIG_LLC=m\nCONFIG_STP=m\nCONFIG_GARP=m\n',
    )
    writeFileSync(
      join(root, 'DEBIAN', 'control'),
      'Package: linux-image-test\nVersion: 1\nArchitecture: arm64\nMaintainer: modlab <dev@modlab.invalid>\nDescription: test\n',
    )
    execFileSync('dpkg-deb', ['--build', '-Zxz', root, join(staging, 'test.deb')], {
      stdio: 'ignore',
    })
    const data = mkdtempSync(join(tmpdir(), 'modlab-kernels-'))
    const result = importKernel(
      { path: join(staging, 'test.deb'), name: 'from-deb' },
      registry,
      data,
    )
    expect(result).toMatchObject({ id: 'from-deb', modules: 3 })
    const kernel = JSON.parse(readFileSync(join(data, 'from-deb', 'kernel.json'), 'utf8'))
    expect(kernel.release).toBe(RELEASE)
  })
})
