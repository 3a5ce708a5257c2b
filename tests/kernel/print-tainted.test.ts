import { describe, expect, it } from 'vitest'
import { printTainted, printTaintedVerbose } from '../../src-main/kernel/module/taint'

describe('print_tainted (kernel/panic.c)', () => {
  it('is a column per flag, G for an untainted proprietary flag, and the names in 6.12', () => {
    expect(printTainted(new Set())).toBe('Not tainted')
    expect(printTainted(new Set(['D', 'R']))).toBe('Tainted: G  R   D           ')
    expect(printTainted(new Set(['P', 'O', 'E']))).toBe('Tainted: P           OE     ')
    expect(printTaintedVerbose(new Set(['D', 'R']))).toBe('Tainted: [R]=FORCED_RMMOD, [D]=DIE')
  })
})
