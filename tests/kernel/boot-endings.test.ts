import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readFdt } from '../../src-main/hardware/fdt'
import { lacksTools } from '../support/tools'
import { boot, consoleLines, stripTimestamp } from './helpers'

const GOLDEN = join(__dirname, 'golden')

describe('boots that cannot go on', () => {
  it('ends in the kernel panic a real kernel prints when there is no initramfs', () => {
    const kernel = boot({ initramfs: null })
    expect(kernel.outcome).toEqual({
      kind: 'panic',
      detail: 'VFS: Unable to mount root fs on unknown-block(0,0)',
    })
    const tail = consoleLines(kernel).map(stripTimestamp).slice(-8)
    expect(tail).toEqual([
      'List of all partitions:',
      'No filesystem could mount root, tried: ',
      '',
      'Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)',
      'CPU: 0 PID: 1 Comm: swapper/0 Not tainted 6.1.0-56-arm64 #1  Debian 6.1.192-2',
      'Hardware name: linux,dummy-virt (DT)',
      'SMP: stopping secondary CPUs',
      '---[ end Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0) ]---',
    ])
  })

  it('runs the initramfs /init and ignores init=, as kernel_init() does', () => {
    const kernel = boot({ cmdline: 'console=ttyAMA0 init=/sbin/nothing' })
    expect(kernel.outcome).toEqual({ kind: 'running', detail: '/init is running' })
    expect(consoleLines(kernel).map(stripTimestamp)).toContain('Run /init as init process')
  })

  it('falls through to mounting root when rdinit= names a program the initramfs lacks', () => {
    const kernel = boot({ cmdline: 'console=ttyAMA0 rdinit=/sbin/nothing' })
    const lines = consoleLines(kernel).map(stripTimestamp)
    expect(lines).toContain('check access for rdinit=/sbin/nothing failed: -2, ignoring')
    expect(kernel.outcome).toEqual({
      kind: 'panic',
      detail: 'VFS: Unable to mount root fs on unknown-block(0,0)',
    })
  })

  it.skipIf(lacksTools('dtc'))('hangs in calibrate_delay when no timer gives the tick', () => {
    const dts =
      '/dts-v1/; / { model = "no timer"; #address-cells = <2>; #size-cells = <2>; memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x10000000>; }; };'
    const tree = readFdt(
      new Uint8Array(
        execFileSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb', '-i', GOLDEN], { input: dts }),
      ),
    )
    const kernel = boot({ tree })
    const lines = consoleLines(kernel).map(stripTimestamp)
    expect(lines).toContain('timer_probe: no matching timers found')
    expect(lines.at(-1)).toBe('Calibrating delay loop... ')
    expect(kernel.outcome.kind).toBe('hung')
    expect(lines.some((line) => line.startsWith('Run /init'))).toBe(false)
  })

  it('keeps the clocksource= override at clocksource_done_booting, before the tick runs oneshot', () => {
    // __clocksource_select() (kernel/time/clocksource.c:1024): the override is refused only in
    // oneshot mode, and the CPUs switch to it only once timekeeping can serve high resolution,
    // which jiffies cannot: the boot stays on jiffies, silently.
    const lines = consoleLines(boot({ cmdline: 'console=ttyAMA0 clocksource=jiffies' })).map(
      stripTimestamp,
    )
    expect(
      lines.filter((line) => /Override clocksource|Switched to clocksource/.test(line)),
    ).toEqual([])
  })

  it('keeps every record in the buffer while loglevel= filters only the console', () => {
    const kernel = boot({ cmdline: 'console=ttyAMA0 loglevel=1' })
    expect(consoleLines(kernel)).toEqual([])
    expect(kernel.log.records.length).toBeGreaterThan(200)
  })
})
