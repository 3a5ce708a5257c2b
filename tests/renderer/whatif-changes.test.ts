import { describe, expect, it } from 'vitest'
import { whatIfChanges } from '../../src-renderer/src/whatif-changes'

describe("the What-if form's field", () => {
  it('gives each symbol or module the form’s change', () => {
    expect(whatIfChanges('CONFIG_ARM_SMMU', 'm')).toEqual({ CONFIG_ARM_SMMU: 'm' })
    expect(whatIfChanges(' arm_smmu,  CONFIG_MTK_TIMER arm_smmu ', 'free')).toEqual({
      arm_smmu: 'free',
      CONFIG_MTK_TIMER: 'free',
    })
  })

  it('lets an entry name its own value, as --config does, and refuses one that is no change', () => {
    expect(whatIfChanges('CONFIG_DMABUF_HEAPS=y, CONFIG_DMABUF_HEAPS_CMA', 'm')).toEqual({
      CONFIG_DMABUF_HEAPS: 'y',
      CONFIG_DMABUF_HEAPS_CMA: 'm',
    })
    expect(() => whatIfChanges('CONFIG_X=q', 'm')).toThrow(
      'CONFIG_X=q: a symbol can be made m, y, n or free, not "q"',
    )
    expect(whatIfChanges(' , ', 'm')).toEqual({})
  })
})
