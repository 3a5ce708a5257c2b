import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { expectGolden } from './golden'
import { lacks, lacksTools } from './tools'

afterEach(() => vi.unstubAllEnvs())

describe('golden files and missing tools', () => {
  it('writes a missing golden file on a developer machine, for review', () => {
    vi.stubEnv('CI', '')
    const file = join(mkdtempSync(join(tmpdir(), 'golden-')), 'new.out')
    expectGolden('output\n', file)
    expect(readFileSync(file, 'utf8')).toBe('output\n')
  })

  it('fails in CI when a golden file is missing, and writes nothing', () => {
    vi.stubEnv('CI', 'true')
    const file = join(mkdtempSync(join(tmpdir(), 'golden-')), 'new.out')
    expect(() => expectGolden('output\n', file)).toThrow(/golden file .*new\.out is missing/)
    expect(existsSync(file)).toBe(false)
  })

  it('skips for a missing tool on a developer machine, and fails in CI', () => {
    vi.stubEnv('CI', '')
    expect(lacksTools('no-such-tool-modlab')).toBe(true)
    expect(lacksTools('sh')).toBe(false)
    vi.stubEnv('CI', 'true')
    expect(() => lacksTools('no-such-tool-modlab')).toThrow(
      'no-such-tool-modlab is not installed: CI runs every test',
    )
    expect(() => lacks(true, 'the corpus is not fetched')).toThrow('the corpus is not fetched')
  })
})
