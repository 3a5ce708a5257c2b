import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { summarizeProfile } from '../../src-main/api/services/profiles-service'
import { loadBuiltinProfiles, ProfileLoadError } from '../../src-main/hardware/builtin-profiles'
import { builtinProfilesDir } from '../../src-main/paths'
import { useTempDir } from '../store/helpers'

const tempDir = useTempDir()

function copyOfBuiltins(): string {
  const dir = tempDir()
  cpSync(builtinProfilesDir(), dir, { recursive: true })
  return dir
}

describe('loadBuiltinProfiles', () => {
  it('loads every built-in profile, the QEMU virt board among them', () => {
    const summaries = loadBuiltinProfiles(builtinProfilesDir()).map(summarizeProfile)
    const virt = summaries.find((profile) => profile.id === 'qemu-virt')
    expect(virt).toMatchObject({
      name: 'QEMU virt (arm64)',
      model: 'linux,dummy-virt',
      compatible: ['linux,dummy-virt'],
      nodeCount: 62,
      cpuCount: 4,
      memoryBytes: 2 * 1024 ** 3,
      bootargs: 'console=ttyAMA0',
      builtIn: true,
    })
    expect(virt?.source.generator).toMatch(
      /^qemu-system-aarch64 -M virt,gic-version=3,dumpdtb=board.dtb/,
    )
  })

  it('refuses a blob that does not match its recorded sha256', () => {
    const dir = copyOfBuiltins()
    const blob = join(dir, 'qemu-virt', 'board.dtb')
    const bytes = readFileSync(blob)
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1)
    writeFileSync(blob, bytes)
    expect(() => loadBuiltinProfiles(dir)).toThrow(ProfileLoadError)
    expect(() => loadBuiltinProfiles(dir)).toThrow(
      /board\.dtb: sha256 is [0-9a-f]{64}, profile\.json records/,
    )
  })

  it('names the file and the field of a malformed profile.json', () => {
    const dir = copyOfBuiltins()
    const json = join(dir, 'qemu-virt', 'profile.json')
    writeFileSync(
      json,
      JSON.stringify({ ...JSON.parse(readFileSync(json, 'utf8')), devicetree: '../../etc/passwd' }),
    )
    expect(() => loadBuiltinProfiles(dir)).toThrow(
      /profile\.json: devicetree: a \.dtb file name beside profile\.json/,
    )
    writeFileSync(json, '{ not json')
    expect(() => loadBuiltinProfiles(dir)).toThrow(/qemu-virt\/profile\.json: /)
  })

  it('refuses a profile whose id differs from its folder', () => {
    const dir = copyOfBuiltins()
    cpSync(join(dir, 'qemu-virt'), join(dir, 'other-board'), { recursive: true })
    expect(() => loadBuiltinProfiles(dir)).toThrow(
      /id "qemu-virt" does not match its folder "other-board"/,
    )
  })
})
