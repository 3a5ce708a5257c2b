import { describe, expect, it } from 'vitest'
import { builtinBytes, moduleBytes } from '../../src-main/analysis/memory'
import type { SectionSizes } from '../../src-main/analysis/whatif-types'

const sizes: SectionSizes = {
  text: 5000,
  rodata: 100,
  roAfterInit: 0,
  data: 300,
  bss: 50,
  initText: 700,
  initData: 10,
  source: 'test',
}

describe('what a driver costs', () => {
  it('built in: its sections, init freed with the rest of init', () => {
    expect(builtinBytes(sizes)).toBe(5450)
  })

  it('as a module: each region page-aligned on its own, .bss in data, init freed after load', () => {
    expect(moduleBytes(sizes, 4096)).toEqual({ core: 4 * 4096, init: 2 * 4096 })
    expect(moduleBytes(sizes, 16384)).toEqual({ core: 3 * 16384, init: 2 * 16384 })
    expect(moduleBytes(sizes, 65536)).toEqual({ core: 3 * 65536, init: 2 * 65536 })
  })
})
