import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadKernelProfile } from '../../../src-main/catalog/kernel-profiles'
import {
  findChild,
  findProperty,
  type DeviceTree,
  type DtNode,
} from '../../../src-main/hardware/devicetree'
import { readFdt } from '../../../src-main/hardware/fdt'
import { bootKernel } from '../../../src-main/kernel/boot'
import { formatText } from '../../../src-main/kernel/dmesg-format'
import type { Kernel } from '../../../src-main/kernel/kernel'
import { kernelFile } from '../../../src-main/kernel/kernfs/kernel-files'
import { machineInputs } from '../../../src-main/sessions/boot-runner'
import { kernelDir, ROOT } from '../helpers'

/*
 * The memory-mapped architected timer of db845c (timer@17c90000, arm,armv7-timer-mem) next to the
 * CP15 timer, as drivers/clocksource/arm_arch_timer.c (6.12) sets them up: the shared banner, the
 * frame it picks, and the tick code making arch_mem_timer the broadcast device.
 */
const BOARD = join(ROOT, 'resources', 'profiles', 'db845c')
const kernelProfile = loadKernelProfile(kernelDir('debian-6.12-arm64'))
const profileJson = JSON.parse(readFileSync(join(BOARD, 'profile.json'), 'utf8'))
const MEM = ['soc@0', 'timer@17c90000']

function tree(): DeviceTree {
  return readFdt(new Uint8Array(readFileSync(join(BOARD, 'board.dtb'))))
}

function nodeAt(t: DeviceTree, path: string[]): DtNode {
  let node = t.root
  for (const name of path) {
    const child = findChild(node, name)
    if (!child) throw new Error(`no ${name} in the db845c tree`)
    node = child
  }
  return node
}

function setString(node: DtNode, name: string, value: string): void {
  node.properties = node.properties.filter((property) => property.name !== name)
  node.properties.push({ name, value: new TextEncoder().encode(`${value}\0`) })
}

function boot(t: DeviceTree, firmware = profileJson.firmware): Kernel {
  return bootKernel(
    machineInputs(kernelProfile, t, {
      cmdline: '',
      memory: profileJson.memory,
      firmware,
    }),
  )
}

const timerLines = (kernel: Kernel) =>
  kernel.log.records
    .map(formatText)
    .map((line) => line.replace(/^\[[ \d.]+\] /, ''))
    .filter((line) => /arch_timer|clocksource: arch|sched_clock|Failed to initialize/.test(line))

const read = (kernel: Kernel, path: string) => {
  const node = kernelFile(kernel, path)
  if (node?.kind !== 'file') throw new Error(`${path} is not a file`)
  return node.read()
}

const CE = '/sys/devices/system/clockevents'

describe('db845c: the memory-mapped arch timer beside the CP15 one (arm_arch_timer.c)', () => {
  it('prints one shared banner once both nodes are probed, and arch_mem_timer is the broadcast device', () => {
    const kernel = boot(tree())
    expect(timerLines(kernel)).toEqual([
      'arch_timer: cp15 and mmio timer(s) running at 19.20MHz (virt/virt).',
      'clocksource: arch_sys_counter: mask: 0xffffffffffffff max_cycles: 0x46d987e47, max_idle_ns: 440795202767 ns',
      'sched_clock: 56 bits at 19MHz, resolution 52ns, wraps every 4398046511078ns',
    ])
    const ce = kernel.timekeeping.clockevents
    const bc = ce.broadcast.evtdev
    expect(bc?.name).toBe('arch_mem_timer')
    expect(bc?.rating).toBe(400)
    expect([...(bc?.features ?? [])].sort()).toEqual(['DYNIRQ', 'ONESHOT'])
    expect(bc?.ops.set_next_event).toBe('arch_timer_set_next_event_virt_mem')
    expect(ce.tick.map((td) => td.evtdev?.name)).toEqual(Array(8).fill('arch_sys_timer'))
    expect(read(kernel, '/proc/timer_list')).toContain(
      'Broadcast device\nClock Event Device: arch_mem_timer\n',
    )
    expect(read(kernel, `${CE}/broadcast/current_device`)).toBe('arch_mem_timer\n')
    expect(read(kernel, `${CE}/clockevent5/current_device`)).toBe('arch_sys_timer\n')
  })

  it('falls back to the physical frame when CNTTIDR says frame 0 has no virtual timer', () => {
    const kernel = boot(tree(), { ...profileJson.firmware, cnttidr: '0x00000000' })
    expect(timerLines(kernel)[0]).toBe(
      'arch_timer: cp15 and mmio timer(s) running at 19.20MHz (virt/phys).',
    )
    expect(kernel.timekeeping.clockevents.broadcast.evtdev?.ops.shutdown).toBe(
      'arch_timer_shutdown_phys_mem',
    )
  })

  it('prints the CP15 banner alone when the mmio node is disabled (bc_hrtimer broadcasts)', () => {
    const t = tree()
    setString(nodeAt(t, MEM), 'status', 'disabled')
    const kernel = boot(t)
    expect(timerLines(kernel)[0]).toBe('arch_timer: cp15 timer(s) running at 19.20MHz (virt).')
    expect(read(kernel, `${CE}/broadcast/current_device`)).toBe('bc_hrtimer\n')
  })

  it('prints the mmio banner alone, and the mmio timer ticks CPU0, when the CP15 node is disabled', () => {
    const t = tree()
    setString(nodeAt(t, ['timer']), 'status', 'disabled')
    const kernel = boot(t)
    expect(timerLines(kernel)[0]).toBe('arch_timer: mmio timer(s) running at 19.20MHz (virt).')
    expect(read(kernel, `${CE}/clockevent0/current_device`)).toBe('arch_mem_timer\n')
  })

  it('takes the rate of the first init: the mmio node’s clock-frequency then drives the CP15 timer too', () => {
    const t = tree()
    const mem = nodeAt(t, MEM)
    // 10 MHz, one cell.
    mem.properties.push({ name: 'clock-frequency', value: new Uint8Array([0, 0x98, 0x96, 0x80]) })
    const kernel = boot(t)
    expect(timerLines(kernel)[0]).toBe(
      'arch_timer: cp15 and mmio timer(s) running at 10.00MHz (virt/virt).',
    )
    const ce = kernel.timekeeping.clockevents
    expect(ce.tick[0]?.evtdev?.mult).toBe(ce.broadcast.evtdev?.mult)
  })

  it('fails a frame without frame-number, and the CP15 init then waits for it forever: no counter', () => {
    const t = tree()
    const frame = nodeAt(t, [...MEM, 'frame@17ca0000'])
    frame.properties = frame.properties.filter((property) => property.name !== 'frame-number')
    const kernel = boot(t)
    expect(timerLines(kernel)).toEqual([
      'arch_timer: [Firmware Bug]: Missing frame-number.',
      "Failed to initialize '/soc@0/timer@17c90000': -22",
    ])
    expect(kernel.timekeeping.clocksources.current?.name).toBe('jiffies')
  })

  it('fails the mmio init when the chosen frame lacks the interrupt of its access', () => {
    const t = tree()
    const frame = nodeAt(t, [...MEM, 'frame@17ca0000'])
    const interrupts = findProperty(frame, 'interrupts')
    if (!interrupts) throw new Error('frame@17ca0000 has no interrupts')
    interrupts.value = interrupts.value.slice(0, 12)
    const kernel = boot(t)
    expect(timerLines(kernel).slice(0, 2)).toEqual([
      'arch_timer: Frame missing virt irq.',
      "Failed to initialize '/soc@0/timer@17c90000': -22",
    ])
  })
})
