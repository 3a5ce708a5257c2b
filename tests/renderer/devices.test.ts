import { describe, expect, it } from 'vitest'
import type { DeviceInfo } from '../../src-main/api/contract'
import { devicesAt, stateDetail } from '../../src-renderer/src/devices'

const WHY =
  'waits for the regulator /pmic@fff34000/regulators/LDO16 gives (vmmc-supply); the kernel records "dwmmc_k3: vmmc regulator not available"'

const mmc: DeviceInfo = {
  name: 'ff37f000.dwmmc1',
  bus: 'platform',
  path: '/soc/dwmmc1@ff37f000',
  compatible: ['hisilicon,hi3660-dw-mshc'],
  modalias: 'of:Ndwmmc1T(null)Chisilicon,hi3660-dw-mshc',
  match: { kind: 'none' },
  state: 'deferred',
  deferReason: 'dwmmc_k3: vmmc regulator not available',
  suppliers: [],
  consumers: [],
  waitingFor: [],
  why: WHY,
  history: [
    { ns: 1e9, state: 'no-driver' },
    { ns: 5e9, state: 'deferred', detail: 'platform: supplier fff34000.pmic not ready' },
    { ns: 15e9, state: 'deferred', detail: 'dwmmc_k3: vmmc regulator not available' },
  ],
}

describe("the devices panel's state detail", () => {
  it('shows what modlab sees the device wait for and the reason the kernel recorded', () => {
    expect(stateDetail(mmc, mmc)).toBe(WHY)
  })

  it('before the timeout, shows the reason the kernel recorded then: the fw_devlink link', () => {
    const [early] = devicesAt([mmc], 1, 6e9)
    expect(stateDetail(early as DeviceInfo, mmc)).toBe(
      'the kernel records "platform: supplier fff34000.pmic not ready"',
    )
  })

  it('says when the kernel recorded no reason', () => {
    const silent = { ...mmc, deferReason: undefined, why: undefined }
    expect(stateDetail(silent)).toBe('the kernel records no reason')
  })
})
