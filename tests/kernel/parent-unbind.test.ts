import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runBoot } from '../../src-main/sessions/boot-runner'
import { ROOT } from './helpers'

/** A built-in board on Debian 6.12 with its shell, as a user at the console has them. */
function board(profile: string) {
  const run = runBoot({ profile, kernel: 'debian-6.12-arm64', resources: join(ROOT, 'resources') })
  const sh = (command: string) => run.shell.runOne(command)
  const ls = (path: string) => sh(`ls ${path}`).stdout.split('\n').filter(Boolean)
  const device = (name: string) => run.kernel.core.devices.find((d) => d.name === name)
  return { kernel: run.kernel, sh, ls, device }
}

const PMIC_GPIO = 'c440000.spmi:pmic@0:gpio@c000'
const PMIC_RTC = 'c440000.spmi:pmic@0:rtc@6000'

describe('children go when their parent unbinds (db845c)', () => {
  it('unbinding the SPMI arbiter deletes its PMICs, their populated blocks and their consumers’ bindings; bind brings them back', () => {
    const { sh, ls, device, kernel } = board('db845c')
    expect(ls('/sys/bus/spmi/devices')).toEqual(['0-00', '0-01', '0-02', '0-03', 'spmi-0'])
    const gpio = device(PMIC_GPIO)
    const rtcVirqs = device(PMIC_RTC)?.virqs
    const consumers = gpio?.consumers.map((link) => link.consumer) ?? []
    const boundConsumers = consumers.filter((c) => c.state === 'bound')
    expect(boundConsumers.length).toBeGreaterThan(0)
    const pmicBlocks = ls('/sys/bus/platform/devices').filter((n) => n.startsWith('c440000.spmi:'))
    expect(pmicBlocks.length).toBeGreaterThan(5)

    expect(sh('echo c440000.spmi > /sys/bus/platform/drivers/spmi_pmic_arb/unbind').exitCode).toBe(
      0,
    )
    // spmi_controller_remove(): the spmi devices and the controller's own device are gone.
    expect(ls('/sys/bus/spmi/devices')).toEqual([])
    expect(ls('/sys/bus/spmi/drivers/pmic-spmi')).not.toContain('0-00')
    // devm_of_platform_populate()'s release: the PMIC blocks' platform devices are gone too.
    expect(ls('/sys/bus/platform/devices').filter((n) => n.startsWith('c440000.spmi:'))).toEqual([])
    expect(ls('/sys/bus/platform/drivers/qcom-spmi-gpio')).not.toContain(PMIC_GPIO)
    expect(device(PMIC_GPIO)).toBeUndefined()
    // The GPIO's consumers were unbound through their device links, and stay (no link is left).
    for (const consumer of boundConsumers) {
      expect(consumer.state).toBe('no-driver')
      expect(consumer.suppliers.some((l) => l.supplier === gpio)).toBe(false)
    }
    expect(kernel.core.pendingDevices()).toEqual([])

    expect(sh('echo c440000.spmi > /sys/bus/platform/drivers/spmi_pmic_arb/bind').exitCode).toBe(0)
    // The controller takes id 0 again (spmi_ctrl_release() freed it) and adds the same devices.
    expect(ls('/sys/bus/spmi/devices')).toEqual(['0-00', '0-01', '0-02', '0-03', 'spmi-0'])
    expect(ls('/sys/bus/platform/devices').filter((n) => n.startsWith('c440000.spmi:'))).toEqual(
      pmicBlocks,
    )
    expect(device(PMIC_GPIO)?.state).toBe('bound')
    expect(device(PMIC_GPIO)).not.toBe(gpio)
    // The node's interrupts keep their mappings (irq_create_fwspec_mapping() finds them).
    expect(rtcVirqs?.length).toBeGreaterThan(0)
    expect(device(PMIC_RTC)?.virqs).toEqual(rtcVirqs)
  })

  it('rmmod of the PMIC driver’s module takes its children down; modprobe populates them again', () => {
    const { sh, ls, device } = board('db845c')
    const blocks = ls('/sys/bus/platform/devices').filter((n) => n.startsWith('c440000.spmi:'))
    expect(sh('rmmod qcom_spmi_pmic')).toMatchObject({ exitCode: 0, stderr: '' })
    expect(ls('/sys/bus/platform/devices').filter((n) => n.startsWith('c440000.spmi:'))).toEqual([])
    // The SPMI devices stay: only their driver left.
    expect(ls('/sys/bus/spmi/devices')).toEqual(['0-00', '0-01', '0-02', '0-03', 'spmi-0'])
    expect(device('0-00')?.state).toBe('no-driver')
    expect(sh('modprobe qcom_spmi_pmic').exitCode).toBe(0)
    expect(ls('/sys/bus/platform/devices').filter((n) => n.startsWith('c440000.spmi:'))).toEqual(
      blocks,
    )
    expect(device(PMIC_GPIO)?.state).toBe('bound')
  })
})

describe('MFD cells go with their parent (mt8183-pumpkin)', () => {
  it('the PMIC wrapper populates with plain of_platform_populate() and no depopulate: the PMIC stays', () => {
    const { sh, device } = board('mt8183-pumpkin')
    const pmic = device('1000d000.pwrap:pmic')
    expect(pmic?.state).toBe('bound')
    expect(
      sh('echo 1000d000.pwrap > /sys/bus/platform/drivers/mt-pmic-pwrap/unbind').exitCode,
    ).toBe(0)
    expect(device('1000d000.pwrap')?.state).toBe('no-driver')
    expect(device('1000d000.pwrap:pmic')).toBe(pmic)
    expect(pmic?.state).toBe('bound')
    // Binding again populates nothing new: the node is still OF_POPULATED.
    expect(sh('echo 1000d000.pwrap > /sys/bus/platform/drivers/mt-pmic-pwrap/bind').exitCode).toBe(
      0,
    )
    expect(device('1000d000.pwrap:pmic')).toBe(pmic)
  })

  it('unbinding the MT6358 removes its cells in reverse; binding it again recreates them', () => {
    const { sh, ls, device, kernel } = board('mt8183-pumpkin')
    const cells = ['mt6358-keys', 'mt6358-regulator', 'mt6358-rtc', 'mt6358-sound', 'mt6359-auxadc']
    expect(ls('/sys/bus/platform/devices').filter((n) => cells.includes(n))).toEqual(cells)
    expect(device('mt6358-regulator')?.state).toBe('bound')
    const before = kernel.deviceEvents.length
    expect(sh('echo 1000d000.pwrap:pmic > /sys/bus/platform/drivers/mt6397/unbind').exitCode).toBe(
      0,
    )
    expect(ls('/sys/bus/platform/devices').filter((n) => cells.includes(n))).toEqual([])
    expect(ls('/sys/bus/platform/drivers/mt6358-regulator')).not.toContain('mt6358-regulator')
    // mfd_remove_devices() walks the children in reverse (drivers/mfd/mfd-core.c:406).
    const deleted = kernel.deviceEvents
      .slice(before)
      .filter((e) => e.detail === 'deleted')
      .map((e) => e.device)
    expect(deleted).toEqual([
      'mt6358-keys',
      'mt6358-sound',
      'mt6358-rtc',
      'mt6358-regulator',
      'mt6359-auxadc',
    ])
    expect(sh('echo 1000d000.pwrap:pmic > /sys/bus/platform/drivers/mt6397/bind').exitCode).toBe(0)
    expect(ls('/sys/bus/platform/devices').filter((n) => cells.includes(n))).toEqual(cells)
    expect(device('mt6358-regulator')?.state).toBe('bound')
  })
})
