import { describe, expect, it } from 'vitest'
import { useTempDir } from '../../store/helpers'
import { runCapturing } from './helpers'

const tempDir = useTempDir()
const cli = (...argv: string[]) => runCapturing(argv, tempDir())
const PIXEL6 = ['--profile', 'pixel6-oriole', '--kernel', 'debian-6.12-arm64']

describe('--config CONFIG_X=free (the proposal: built in, freed at the end of boot when unused)', () => {
  it('modlab boot prints what was freed after free_initmem(), before /init', async () => {
    const result = await cli(
      'boot',
      ...PIXEL6,
      '--config',
      'CONFIG_EXYNOS_CHIPID=free',
      '--config',
      'CONFIG_EXYNOS_PMU=free',
      '--until',
      'init',
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const all = result.stdout.trimEnd().split('\n')
    const initmem = all.findIndex((line) => /\] Freeing unused kernel memory: \d+K$/.test(line))
    // Between free_initmem() and mark_readonly()'s W+X check (init/main.c:1449-1450).
    const lines = all.slice(initmem, initmem + 4)
    expect(lines[3]).toMatch(/\] Checked W\+X mappings: passed/)
    expect(lines[1]).toMatch(
      /\] modlab: free_unused_builtin \(proposed upstream, not in Linux\): Freeing unused built-in driver memory: 12K$/,
    )
    expect(lines[2]).toMatch(
      /\] modlab: free_unused_builtin: freed 1 of 2 symbols: 2152 bytes of sections, 10136 bytes of page alignment \(each driver's regions rounded to 4K pages as a module's\); the 1 kept still hold 7388 bytes of alignment$/,
    )
  })

  it('modlab run lists each symbol in /sys/kernel/debug/free_unused_builtin', async () => {
    const result = await cli(
      'run',
      ...PIXEL6,
      '--config',
      'CONFIG_EXYNOS_CHIPID=free',
      '-e',
      'cat /sys/kernel/debug/free_unused_builtin',
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(
      'CONFIG_EXYNOS_CHIPID\tfreed\t2152\t12288\texynos-chipid: bound nothing, no *_OF_DECLARE init ran, nothing deferred\n',
    )
  })

  it('a value other than y, m, n or free is refused by name', async () => {
    const result = await cli('boot', ...PIXEL6, '--config', 'CONFIG_EXYNOS_CHIPID=freed')
    expect(result.code).not.toBe(0)
    expect(result.stderr).toMatch(
      /--config wants CONFIG_NAME=y\|m\|n\|free, got "CONFIG_EXYNOS_CHIPID=freed"/,
    )
  })
})
