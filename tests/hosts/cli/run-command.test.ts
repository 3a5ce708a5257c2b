import { describe, expect, it } from 'vitest'
import { useTempDir } from '../../store/helpers'
import { runCapturing } from './helpers'

const tempDir = useTempDir()

const cli = (...argv: string[]) => runCapturing(argv, tempDir())

interface UntilJson {
  ranAt: { ns: number; where: string }
  commands: { command: string; stdout: string; exitCode: number; kernelLines: string[] }[]
  kernelLinesAfter: string[]
}

/**
 * MT8183 Pumpkin on Debian's 6.12 without udev's coldplug: the PMIC wrapper and the UART wait for
 * the clock controllers clk_mt8183 binds. Loading that module at 6 s, before the deferred-probe
 * timeout (late_initcall + 10 s), fixes the wrapper; the UART's driver is told to keep deferring.
 */
const PUMPKIN = [
  'run',
  '--profile',
  'mt8183-pumpkin',
  '--kernel',
  'debian-6.12-arm64',
  '--coldplug',
  'none',
  '--fault',
  'mt6577-uart:defer:1000',
  '-e',
  'cat /sys/kernel/debug/devices_deferred; modprobe clk_mt8183; cat /sys/kernel/debug/devices_deferred',
  '--json',
]

describe('modlab run --until', () => {
  it('runs the commands before the deferred-probe timeout, which then sees what they changed', async () => {
    const result = await cli(...PUMPKIN, '--until', '6')
    expect(result.code).toBe(0)
    const run = JSON.parse(result.stdout) as UntilJson
    expect(run.ranAt).toEqual({ ns: 6e9, where: 'at 6.000000 s (--until 6)' })
    const [before, , after] = run.commands
    // The CoreSight debug blocks' peripheral ID cannot be read without their apb_pclk, which
    // clk_mt8183 provides: amba_match() defers them with no reason (drivers/amba/bus.c).
    const debug = ['d4', 'd5', 'd6', 'd7', 'd8', 'd9', 'da', 'db'].map(
      (at) => `${at}10000.cpu-debug\t\n`,
    )
    expect(before?.stdout).toBe(
      debug.join('') +
        '1000d000.pwrap\tplatform: supplier 10000000.syscon not ready\n' +
        // scpsys waits for its domains' clocks: of_clk_get() and dev_err_probe() (mtk-pm-domains.c:452-456).
        '10006000.syscon:power-controller\tmtk-power-controller: /soc/syscon@10006000/power-controller/power-domain@0: failed to get clk at index 0\n' +
        '11002000.serial\tplatform: supplier 10001000.syscon not ready\n',
    )
    // scpsys still waits for the mmsys, imgsys and camsys clocks, whose modules were not loaded.
    expect(after?.stdout).toMatch(
      /^10006000\.syscon:power-controller\tmtk-power-controller: \/soc\/syscon@10006000\/power-controller\/power-domain@7: failed to get clk at index 1\n11002000\.serial\tmt6577-uart: injected deferral \d+ of 1000\n$/,
    )
    const pending = run.kernelLinesAfter.filter((line) => line.includes('deferred probe pending'))
    expect(pending).toHaveLength(2)
    expect(pending[0]).toMatch(
      /platform 10006000\.syscon:power-controller: deferred probe pending: mtk-power-controller: \/soc\/syscon@10006000\/power-controller\/power-domain@7: failed to get clk at index 1$/,
    )
    expect(pending[1]).toMatch(
      /^\[ {3}1\d\.\d{6}\] platform 11002000\.serial: deferred probe pending: mt6577-uart: injected deferral/,
    )
  })

  it('after the timeout, finds it already fired', async () => {
    const argv = [...PUMPKIN.slice(0, -3), '-e', 'dmesg | grep "deferred probe pending"', '--json']
    const run = JSON.parse((await cli(...argv, '--until', '20')).stdout) as UntilJson
    expect(run.ranAt.where).toBe('at 20.000000 s (--until 20)')
    expect(run.commands[0]?.stdout).toContain('platform 11002000.serial: deferred probe pending')
    expect(run.kernelLinesAfter).toEqual([])
  })

  it('says where the commands ran in the transcript header', async () => {
    const late = await cli(
      'run',
      '--profile',
      'qemu-virt',
      '--until',
      'late',
      '-e',
      'lsmod | wc -l',
    )
    expect(late.code).toBe(0)
    expect(late.stdout).toMatch(
      /^-- the commands ran when init started, 1\.\d{6} s \(--until late: initcall:late began at 1\.\d{6} s, before userspace existed\) --\n# lsmod \| wc -l\n4\n/,
    )
    const early = await cli('run', '--profile', 'qemu-virt', '--until', '0.5', '-e', 'echo')
    expect(early.stdout).toMatch(
      /^-- the commands ran when init started, 1\.\d{6} s \(--until 0\.5: userspace did not exist yet\) --\n/,
    )
    const end = await cli('run', '--profile', 'qemu-virt', '--until', 'end', '-e', 'echo')
    expect(end.stdout).toMatch(/^-- the commands ran at the end of the boot, \d+\.\d{6} s/)
    const plain = await cli('run', '--profile', 'qemu-virt', '-e', 'lsmod | wc -l')
    expect(plain.stdout).toBe('# lsmod | wc -l\n4\n')
  })

  it('refuses a point or a fault it does not know, naming it', async () => {
    const phase = await cli('run', '--profile', 'qemu-virt', '--until', 'lunch', '-e', 'lsmod')
    expect(phase.code).toBe(1)
    expect(phase.stderr).toMatch(
      /^modlab: unknown phase "lunch"; phases of this boot: start_kernel/,
    )
    const bad = await cli('run', '--profile', 'qemu-virt', '--until', '5s', '-e', 'lsmod')
    expect(bad.code).toBe(1)
    const fault = await cli('run', '--profile', 'qemu-virt', '--fault', 'pl061:explode', '-e', 'x')
    expect(fault.code).toBe(2)
    expect(fault.stderr).toMatch(/^modlab: --fault "pl061:explode": expected/)
  })
})
