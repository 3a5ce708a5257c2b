import { describe, expect, it } from 'vitest'
import { useTempDir } from '../../store/helpers'
import { runCapturing } from './helpers'

const tempDir = useTempDir()

const cli = (...argv: string[]) => runCapturing(argv, tempDir())

describe('modlab whatif', () => {
  it('exits 0 when the change builds and every board reaches /init, and prints A against B', async () => {
    const result = await cli('whatif', '--profile', 'db845c', '--config', 'CONFIG_ARM_SMMU=m')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^CONFIG_ARM_SMMU=m on debian-6\.12-arm64: builds$/m)
    expect(result.stdout).toMatch(/^boot A -> boot B on db845c: running -> running$/m)
    expect(result.stdout).toMatch(/^ {2}modules loaded: arm_smmu$/m)
    expect(result.stdout).toMatch(
      /^ {2}rmmod arm_smmu: exit 1: rmmod: ERROR: Module arm_smmu is in use$/m,
    )
  })

  it('exits 1 with the reasons on stderr when the verdict says no; --json names each reason', async () => {
    const args = ['whatif', '--profile', 'pixel6-oriole', '--config', 'CONFIG_CLKSRC_EXYNOS_MCT=m']
    const text = await cli(...args)
    expect(text.code).toBe(1)
    expect(text.stderr).toMatch(/CONFIG_CLKSRC_EXYNOS_MCT is bool: it cannot be m/)
    expect(text.stderr).toMatch(/ARCH_EXYNOS=y selects CLKSRC_EXYNOS_MCT/)
    expect(text.stderr).toMatch(/TIMER_OF_DECLARE\(mct_init_ppi\)/)
    const json = await cli(...args, '--json')
    expect(json.code).toBe(1)
    const result = JSON.parse(json.stdout)
    expect(result.ok).toBe(false)
    expect(result.verdicts[0].items.map((item: { code: string }) => item.code)).toEqual(
      expect.arrayContaining(['kconfig-bool', 'kconfig-selected', 'of-declare']),
    )
  })

  it('refuses a malformed change or load time as usage errors', async () => {
    const bad = await cli('whatif', '--profile', 'db845c', '--config', 'CONFIG_ARM_SMMU=maybe')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(
      /--config wants CONFIG_NAME=y\|m\|n\|free, got "CONFIG_ARM_SMMU=maybe"/,
    )
    const load = await cli(
      'whatif',
      '--profile',
      'db845c',
      '--config',
      'CONFIG_ARM_SMMU=m',
      '--load',
      'later',
    )
    expect(load.code).toBe(2)
    expect(load.stderr).toMatch(/--load wants coldplug, never or at=SECONDS/)
  })
})
