import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runBoot } from '../../src-main/sessions/boot-runner'
import { deviceSnapshot } from '../../src-main/sessions/device-snapshot'
import { deviceReport } from '../../src-main/userspace/device-report'

const ROOT = join(__dirname, '..', '..')

describe('deviceSnapshot', () => {
  const run = runBoot({
    profile: 'qemu-virt',
    kernel: 'debian-6.1-arm64',
    resources: join(ROOT, 'resources'),
  })
  const devices = deviceSnapshot(run.shell.system)
  const device = (name: string) => devices.find((info) => info.name === name)

  it('carries the modalias and the match that `modlab devices` reports, device by device', () => {
    const report = deviceReport(run.shell.system)
    expect(devices.map((info) => info.name)).toEqual(report.map((entry) => entry.name))
    expect(devices.map(({ modalias, match }) => ({ modalias, match }))).toEqual(
      report.map(({ modalias, match }) => ({ modalias, match })),
    )
  })

  it('tells built-in drivers, *_OF_DECLARE and modules apart', () => {
    expect(device('9030000.pl061')?.match).toEqual({
      kind: 'builtin',
      driver: 'pl061_gpio',
      module: expect.any(String),
    })
    expect(device('timer')?.match).toMatchObject({ kind: 'of_declare', table: 'timer' })
    expect(device('9020000.fw-cfg')).toMatchObject({
      modalias: 'of:Nfw-cfgT(null)Cqemu,fw-cfg-mmio',
      match: { kind: 'module', modules: ['qemu_fw_cfg'], driver: 'fw_cfg' },
    })
    // 6.1's cpuidle-psci-domain matches arm,psci-1.0 (the real boot prints `probe of psci`).
    expect(device('psci')?.match).toEqual({
      kind: 'builtin',
      driver: 'psci-cpuidle-domain',
      module: 'cpuidle_psci_domain',
    })
    expect(device('0.flash')?.match).toEqual({ kind: 'none' })
  })
})
