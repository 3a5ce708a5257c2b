import { join } from 'node:path'
import type { BootRequest } from '../../../src-main/sessions/boot-runner'

/**
 * The arm-smmu scenarios of `golden/iommu/<name>.txt`: a boot request, and the commands run at a
 * point of the boot. db845c-smmu.test.ts checks their transcripts; the sessions' replay test
 * records each through the API.
 */
export interface Scenario {
  name: string
  about: string
  request: Omit<BootRequest, 'resources'>
  script?: string
  until?: number
}

export const DB845C = { profile: 'db845c', kernel: 'debian-6.12-arm64' }
const MODULE = { CONFIG_ARM_SMMU: 'm' } as const
const LEGACY_BOARD = join(__dirname, 'mmu-masters.dts')

export const SCENARIOS: Scenario[] = [
  {
    name: 'db845c-builtin',
    about: "Debian's build: arm-smmu built in, both SMMUs probe at device_initcall",
    request: DB845C,
  },
  {
    name: 'db845c-module-coldplug',
    about: 'arm_smmu a module, loaded by udev coldplug with the consumers modules',
    request: { ...DB845C, config: MODULE, coldplug: 'udev' },
  },
  {
    name: 'db845c-module-by-hand-30s',
    about:
      'arm_smmu a module loaded by hand 30 s after boot: the built-in consumers deferred, timed out at 14.5 s and probed without their IOMMU, and stay so',
    request: { ...DB845C, config: MODULE, coldplug: 'none' },
    script: 'modprobe arm_smmu',
    until: 30,
  },
  {
    name: 'db845c-module-never-loaded',
    about:
      'arm_smmu a module nobody loads: the consumers wait with no reason recorded (of_iommu does not call dev_err_probe), then probe without their IOMMU at the timeout',
    request: { ...DB845C, config: MODULE, coldplug: 'none' },
    script: 'grep geniqup /sys/kernel/debug/devices_deferred',
    until: 5,
  },
  {
    name: 'db845c-module-never-loaded-strict',
    about:
      'the same with fw_devlink.strict=1: iommus links hold the consumers back until the timeout relaxes them (no driver can bind the SMMU), then of_iommu gives up',
    request: { ...DB845C, config: MODULE, coldplug: 'none', cmdline: 'fw_devlink.strict=1' },
    script: 'grep geniqup /sys/kernel/debug/devices_deferred',
    until: 5,
  },
  {
    name: 'mmu-masters-legacy-builtin',
    about:
      'a board with the legacy binding, arm-smmu built in with ARM_SMMU_LEGACY_DT_BINDINGS=y: the notice says the DMA API is unavailable',
    request: {
      profile: LEGACY_BOARD,
      kernel: 'debian-6.12-arm64',
      config: { CONFIG_ARM_SMMU_LEGACY_DT_BINDINGS: 'y' },
    },
  },
  {
    name: 'mmu-masters-module',
    about:
      'the same board with arm_smmu a module (ARM_SMMU_LEGACY_DT_BINDINGS cannot be y): loaded by hand, the notice says SMMU support is unavailable',
    request: {
      profile: LEGACY_BOARD,
      kernel: 'debian-6.12-arm64',
      config: MODULE,
      coldplug: 'none',
    },
    script: 'modprobe arm_smmu',
  },
]
