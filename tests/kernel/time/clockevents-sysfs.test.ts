import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runBoot } from '../../../src-main/sessions/boot-runner'
import { ROOT } from '../helpers'

/**
 * /sys/devices/system/clockevents as 6.12 shows it (kernel/time/clockevents.c:669-784), through
 * the shell: a `clockevent<N>` per CPU with current_device and the write-only unbind_device, and
 * `broadcast` with current_device.
 */
const CE = '/sys/devices/system/clockevents'

function shellOn(board: string, extra: { series?: string[]; config?: Record<string, 'm'> } = {}) {
  return runBoot({
    profile: board,
    kernel: 'debian-6.12-arm64',
    resources: join(ROOT, 'resources'),
    ...extra,
  }).shell
}

describe('/sys/devices/system/clockevents', () => {
  it('db845c: one directory per CPU and the broadcast one, each naming its current device', () => {
    const shell = shellOn('db845c')
    expect(shell.runOne(`ls ${CE}`).stdout.split(/\s+/).filter(Boolean)).toEqual([
      'broadcast',
      ...Array.from({ length: 8 }, (_, cpu) => `clockevent${cpu}`),
    ])
    expect(shell.runOne(`ls ${CE}/clockevent3`).stdout.split(/\s+/).filter(Boolean)).toEqual([
      'current_device',
      'unbind_device',
    ])
    expect(shell.runOne(`ls ${CE}/broadcast`).stdout.trim()).toBe('current_device')
    expect(shell.runOne(`cat ${CE}/clockevent3/current_device`).stdout).toBe('arch_sys_timer\n')
    expect(shell.runOne(`cat ${CE}/broadcast/current_device`).stdout).toBe('arch_mem_timer\n')
  })

  it('db845c: unbind_device refuses what has no replacement and drops an unused device', () => {
    const shell = shellOn('db845c')
    const unbind = (cpu: number, name: string) =>
      shell.runOne(`echo ${name} > ${CE}/clockevent${cpu}/unbind_device`)
    // The broadcast device: "We don't support the abomination of removable broadcast devices".
    expect(unbind(0, 'arch_mem_timer').stderr).toBe('sh: write error: Device or resource busy\n')
    // CPU7's arch_sys_timer is the newest of that name: busy from CPU0; from CPU7 nothing replaces it.
    expect(unbind(0, 'arch_sys_timer').stderr).toBe('sh: write error: Device or resource busy\n')
    expect(unbind(7, 'arch_sys_timer').stderr).toBe('sh: write error: Device or resource busy\n')
    expect(shell.runOne(`cat ${CE}/clockevent7/current_device`).stdout).toBe('arch_sys_timer\n')
    // bc_hrtimer lost the broadcast to arch_mem_timer and is detached: unbinding it just drops it.
    expect(unbind(2, 'bc_hrtimer').exitCode).toBe(0)
    expect(unbind(2, 'bc_hrtimer').stderr).toBe('sh: write error: No such device\n')
  })

  it('mt8183-pumpkin with the MediaTek series: the module’s in-use clockevent cannot be unbound', () => {
    const shell = shellOn('mt8183-pumpkin', {
      series: ['mediatek-2023-timer-modules'],
      config: { CONFIG_MTK_TIMER: 'm' },
    })
    expect(shell.runOne(`cat ${CE}/broadcast/current_device`).stdout).toBe('mtk-clkevt\n')
    expect(shell.runOne(`echo mtk-clkevt > ${CE}/clockevent0/unbind_device`).stderr).toBe(
      'sh: write error: Device or resource busy\n',
    )
    expect(shell.runOne(`cat ${CE}/broadcast/current_device`).stdout).toBe('mtk-clkevt\n')
  })
})
