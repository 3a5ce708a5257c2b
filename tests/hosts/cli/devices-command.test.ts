import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../../src-main/hosts/cli/cli'
import { deviceDetails } from '../../../src-main/hosts/cli/devices-command'
import { runBoot } from '../../../src-main/sessions/boot-runner'
import { deviceReport, type DeviceReport } from '../../../src-main/userspace/device-report'
import { useTempDir } from '../../store/helpers'

const tempDir = useTempDir()

async function cli(...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await runCli([...argv, '--data-dir', tempDir()], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: {},
  })
  return { code, stdout, stderr }
}

const PUMPKIN = ['devices', '--profile', 'mt8183-pumpkin', '--kernel', 'debian-6.12-arm64']

describe('modlab devices', () => {
  it('gives every device its suppliers and the nodes it still waits for, in --json', async () => {
    const result = await cli(...PUMPKIN, '--json')
    expect(result.code).toBe(0)
    const devices = JSON.parse(result.stdout) as DeviceReport[]
    const mmc = devices.find((device) => device.name === '11230000.mmc')
    expect(mmc).toMatchObject({
      state: 'deferred',
      deferReason: 'platform: wait for supplier /soc/pwrap@1000d000/pmic/regulators',
      waitingFor: [{ node: '/soc/pwrap@1000d000/pmic/regulators', property: 'vmmc-supply' }],
    })
    expect(mmc?.suppliers).toContainEqual({
      device: '10000000.syscon',
      property: 'clocks',
      relaxed: false,
      state: 'bound',
    })
    // Every device carries its links, bound ones too.
    const bound = devices.filter((device) => device.state === 'bound')
    expect(bound.some((device) => device.suppliers.length > 0)).toBe(true)
  })

  it('shows a waiting device its suppliers and the nodes it waits for, on lines under it', async () => {
    const result = await cli(...PUMPKIN, '--fault', 'mt6577-uart:defer:1000')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /\n11230000\.mmc +deferred +mtk-msdc \(module mtk_sd\) +platform: wait for supplier \/soc\/pwrap@1000d000\/pmic\/regulators\n {4}suppliers: 10000000\.syscon \(clocks\), 10001000\.syscon \(clocks\), 10005000\.pinctrl \(pinctrl-0\)\n {4}waits for: \/soc\/pwrap@1000d000\/pmic\/regulators \(vmmc-supply\)\n/,
    )
    expect(result.stdout).toMatch(
      /\n11002000\.serial +deferred +mt6577-uart \(built in\) +mt6577-uart: injected deferral \d+ of 1000\n {4}suppliers: 10001000\.syscon \(clocks\)\n/,
    )
    // A bound device gets no lines under it.
    expect(result.stdout).toMatch(/\n1000d000\.pwrap +bound +mt-pmic-pwrap \(built in\)\n\S/)
  })

  it('reports the resources a probe took or waits for, when the kernel records them', () => {
    const { shell } = runBoot({
      profile: 'qemu-virt',
      resources: join(__dirname, '../../../resources'),
    })
    const device = shell.system.kernel.core.devices.find((d) => d.name === '9010000.pl031')
    expect(device).toBeDefined()
    // The field the engine's probes fill in; a malformed entry is left out, not trusted.
    Object.assign(device as object, {
      resources: [
        { kind: 'clk', property: 'clocks', provider: '/apb-pclk', state: 'taken' },
        { kind: 'regulator', property: 'vcc-supply', provider: '/regulator', state: 'waiting' },
        { kind: 'gpio', property: 'gpios', state: 'taken' },
        { kind: 'reset', property: 'resets', provider: '/rst', state: 'exploded' },
      ],
    })
    const report = deviceReport(shell.system).find((d) => d.name === '9010000.pl031')
    expect(report?.resources).toEqual([
      { kind: 'clk', property: 'clocks', provider: '/apb-pclk', state: 'taken' },
      { kind: 'regulator', property: 'vcc-supply', provider: '/regulator', state: 'waiting' },
    ])
    expect(deviceDetails(report as DeviceReport)).toEqual([
      '    resources waiting: regulator vcc-supply from /regulator',
    ])
  })
})
