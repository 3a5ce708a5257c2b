import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadKernelProfile } from '../../src-main/catalog/kernel-profiles'
import { ambaLookup, ambaTableAlias } from '../../src-main/kernel/amba-bus'

const KERNELS = join(__dirname, '..', '..', 'resources', 'kernels')

describe('amba_lookup (drivers/amba/bus.c:51)', () => {
  const pl011 = [
    { id: '0x00041011', mask: '0x000fffff' },
    { id: '0x00380802', mask: '0x00ffffff' },
  ]
  it('matches under the mask: the revision and configuration nibbles of a PL011 are free', () => {
    expect(ambaLookup(pl011, 0x00141011)).toEqual(pl011[0])
    expect(ambaLookup(pl011, 0xff341011)).toEqual(pl011[0])
    expect(ambaLookup(pl011, 0x00380802)).toEqual(pl011[1])
    expect(ambaLookup(pl011, 0x00480802)).toBeUndefined()
    expect(ambaLookup(pl011, 0x00041031)).toBeUndefined()
  })
  it('a partial-nibble mask (ETM4x match-all: PIDR2.JEDEC alone) tests only its bits', () => {
    const all = [{ id: '0x00080000', mask: '0x00080000' }]
    expect(ambaLookup(all, 0x000bb95d)).toEqual(all[0])
    expect(ambaLookup(all, 0x0007ffff)).toBeUndefined()
  })
  it('writes aliases as modpost does, `[...]` for a partial nibble (file2alias.c do_amba_entry)', () => {
    expect(ambaTableAlias({ id: '0x00041011', mask: '0x000fffff' })).toBe('amba:d???41011')
    expect(ambaTableAlias({ id: '0x00080000', mask: '0x00080000' })).toBe('amba:d???[89ABCDEF]????')
  })
})

describe.each(['debian-6.12-arm64', 'debian-6.1-arm64'])('%s: AMBA drivers', (kernel) => {
  const profile = loadKernelProfile(join(KERNELS, kernel))
  const amba = profile.drivers.filter((driver) => driver.bus === 'amba')

  it('every AMBA driver carries its amba_id table, the curated ones the source’s too', () => {
    expect(amba.length).toBeGreaterThan(10)
    expect(amba.filter((driver) => !driver.amba?.length).map((driver) => driver.name)).toEqual([])
    expect(amba.find((driver) => driver.name === 'uart-pl011')?.amba).toContainEqual({
      id: '0x00041011',
      mask: '0x000fffff',
    })
  })

  it('the source’s tables give exactly the amba: aliases modpost wrote into each module', () => {
    const modules = new Map(profile.modules.map((module) => [module.name, module]))
    let checked = 0
    for (const driver of amba) {
      const module = modules.get(driver.module)
      if (!module || profile.config[driver.kconfig] !== 'm') continue
      const real = module.info
        .filter(([key, value]) => key === 'alias' && value.startsWith('amba:'))
        .map(([, value]) => value)
      const written = [...new Set((driver.amba ?? []).map(ambaTableAlias))]
      checked += 1
      expect({ module: module.name, aliases: written.sort() }).toEqual({
        module: module.name,
        aliases: real.sort(),
      })
    }
    expect(checked).toBeGreaterThanOrEqual(8)
  })
})
