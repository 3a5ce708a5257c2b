import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runScriptAt } from '../../../src-main/sessions/commands-at'
import { boardConsole } from '../boards/helpers'
import { ROOT } from '../helpers'

/**
 * CMA areas as 6.12 sets them up: `cma=size@base` (kernel/dma/contiguous.c:72), a tree's
 * `linux,cma-default` pool set aside for `cma=` (:463), and the areas' debugfs files
 * (CONFIG_CMA_DEBUGFS, mm/cma_debug.c:163).
 */
describe('CMA areas', () => {
  it('cma=size@base reserves the default area at exactly that base', () => {
    expect(boardConsole('hikey960', 'cma=32M@0x90000000')).toContain(
      'cma: Reserved 32 MiB at 0x0000000090000000 on node -1',
    )
  })

  it('a misaligned fixed base is refused with the kernel’s two lines', () => {
    const lines = boardConsole('hikey960', 'cma=32M@0x90100000')
    expect(lines).toContain(
      'cma: Region at 0x0000000090100000 must be aligned to 0x0000000000200000 bytes',
    )
    expect(lines).toContain('cma: Failed to reserve 32 MiB on node -1')
  })

  it("cma= bypasses rpi4b's linux,cma-default pool, which is given back; the default area is the command line's", () => {
    const lines = boardConsole('rpi4b', 'cma=16M')
    expect(lines).toContain(
      'Reserved memory: bypass linux,cma node, using cmdline CMA params instead',
    )
    expect(lines).toContain('OF: reserved mem: node linux,cma compatible matching fail')
    expect(lines.some((line) => /^cma: Reserved 16 MiB at 0x/.test(line))).toBe(true)
    expect(lines.some((line) => line.includes('created CMA memory pool'))).toBe(false)
  })

  it('CONFIG_CMA_DEBUGFS shows each area; /proc/meminfo counts every area', () => {
    const { records } = runScriptAt(
      {
        profile: 'db845c',
        kernel: 'debian-6.12-arm64',
        resources: join(ROOT, 'resources'),
        config: { CONFIG_CMA_DEBUGFS: 'y' },
      },
      'ls /sys/kernel/debug/cma; cat /sys/kernel/debug/cma/fastrpc/base_pfn /sys/kernel/debug/cma/reserved/count; grep Cma /proc/meminfo',
      undefined,
    )
    expect(records.map((record) => record.stdout).join('')).toBe(
      [
        'fastrpc\nreserved\n',
        `${0xfec00000 / 4096}\n${(64 * 1024 * 1024) / 4096}\n`,
        'CmaTotal:          81920 kB\nCmaFree:           81920 kB\n',
      ].join(''),
    )
  })
})
