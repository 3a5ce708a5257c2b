import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { deviceDetails } from '../../../src-main/hosts/cli/devices-command'
import { runBoot } from '../../../src-main/sessions/boot-runner'
import { deviceReport, type DeviceReport } from '../../../src-main/userspace/device-report'
import { useTempDir } from '../../store/helpers'
import { runCapturing } from './helpers'

const tempDir = useTempDir()

const cli = (...argv: string[]) => runCapturing(argv, tempDir())

// Without the PMIC's regulator driver, the MFD's regulator cell binds nothing and the MMC
// controllers wait for the LDOs it would register.
const PUMPKIN = [
  'devices',
  '--profile',
  'mt8183-pumpkin',
  '--kernel',
  'debian-6.12-arm64',
  '--config',
  'CONFIG_REGULATOR_MT6358=n',
]

describe('modlab devices', () => {
  it('gives every device its suppliers and the resources it still waits for, in --json', async () => {
    const result = await cli(...PUMPKIN, '--json')
    expect(result.code).toBe(0)
    const devices = JSON.parse(result.stdout) as DeviceReport[]
    const mmc = devices.find((device) => device.name === '11230000.mmc')
    expect(mmc?.state).toBe('deferred')
    expect(mmc?.suppliers).toContainEqual({
      device: '10000000.syscon',
      property: 'clocks',
      relaxed: false,
      state: 'bound',
    })
    expect(mmc?.suppliers).toContainEqual({
      device: 'mt6358-regulator',
      property: 'vmmc-supply',
      relaxed: true,
      state: 'no-driver',
    })
    expect(mmc?.resources).toContainEqual({
      kind: 'regulator',
      property: 'vmmc-supply',
      provider: '/soc/pwrap@1000d000/pmic/regulators/ldo_vemc',
      state: 'waiting',
    })
    // Every device carries its links, bound ones too.
    const bound = devices.filter((device) => device.state === 'bound')
    expect(bound.some((device) => device.suppliers.length > 0)).toBe(true)
  })

  it('shows a waiting device its suppliers and what it waits for, on lines under it', async () => {
    const result = await cli(...PUMPKIN, '--fault', 'mt6577-uart:defer:1000')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /\n11230000\.mmc +deferred +mtk-msdc \(module mtk_sd\) +mtk-msdc: vmmc regulator not available\n {4}suppliers: 10000000\.syscon \(clocks\), 10001000\.syscon \(clocks\), 10005000\.pinctrl \(pinctrl-0\), mt6358-regulator \(vmmc-supply, no-driver, relaxed\)\n {4}resources waiting: regulator vmmc-supply from \/soc\/pwrap@1000d000\/pmic\/regulators\/ldo_vemc\n {4}why: waits for the regulator \/soc\/pwrap@1000d000\/pmic\/regulators\/ldo_vemc gives \(vmmc-supply\); the kernel records "mtk-msdc: vmmc regulator not available"\n/,
    )
    expect(result.stdout).toMatch(
      /\n11002000\.serial +deferred +mt6577-uart \(built in\) +mt6577-uart: injected deferral \d+ of 1000\n {4}suppliers: 10001000\.syscon \(clocks\)\n/,
    )
    // A bound device gets no lines under it.
    expect(result.stdout).toMatch(/\n1000d000\.pwrap +bound +mt-pmic-pwrap \(built in\)\n\S/)
  })

  it('reports the resources a probe took or waits for, and why a device is unbound', () => {
    const resources = join(__dirname, '../../../resources')
    const virt = runBoot({ profile: 'qemu-virt', resources })
    const rtc = deviceReport(virt.shell.system).find((d) => d.name === '9010000.pl031')
    expect(rtc?.resources).toEqual([
      { kind: 'clock', property: 'clocks', provider: '/apb-pclk', state: 'taken' },
      { kind: 'interrupt', property: 'interrupts', provider: '/intc@8000000', state: 'taken' },
    ])
    expect(rtc?.why).toBeUndefined()
    // Without the GPU clock controller (CONFIG_SDM_GPUCC_845=n) the GPU's SMMU waits for the power
    // domain it would give; fw_devlink relaxed the link, and genpd gives up after the timeout.
    const db845c = runBoot({
      profile: 'db845c',
      kernel: 'debian-6.12-arm64',
      resources,
      config: { CONFIG_SDM_GPUCC_845: 'n' },
    })
    const smmu = deviceReport(db845c.shell.system).find((d) => d.name === '5040000.iommu')
    expect(deviceDetails(smmu as DeviceReport)).toEqual([
      '    suppliers: 100000.clock-controller (clocks), 5090000.clock-controller (power-domains, no-driver, relaxed)',
      '    resources waiting: power-domain power-domains from /soc@0/clock-controller@5090000',
      '    why: probe failed with error -110',
    ])
  })
})
