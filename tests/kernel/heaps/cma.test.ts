import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runScriptAt } from '../../../src-main/sessions/commands-at'
import { formatText } from '../../../src-main/kernel/dmesg-format'
import { boardConsole } from '../boards/helpers'
import { ROOT, stripTimestamp } from '../helpers'
import { lacksTools } from '../../support/tools'

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

  it.skipIf(lacksTools('dtc'))(
    'each kind of shared-dma-pool: CMA from the tree (static and default), refused, coherent',
    () => {
      const { run, records } = runScriptAt(
        {
          profile: join(__dirname, 'reserved-pools.dts'),
          kernel: 'debian-6.12-arm64',
          resources: join(ROOT, 'resources'),
          config: { CONFIG_DMABUF_HEAPS: 'y', CONFIG_DMABUF_HEAPS_CMA: 'y' },
        },
        'ls /dev/dma_heap',
        undefined,
      )
      const lines = run.kernel.log.records
        .map((record) => stripTimestamp(formatText(record)))
        .filter((line) => /reserved mem|Reserved memory|^cma:/.test(line))
      expect(lines).toEqual([
        'Reserved memory: created CMA memory pool at 0x000000005e000000, size 32 MiB',
        'OF: reserved mem: initialized node linux,cma, compatible id shared-dma-pool',
        'OF: reserved mem: 0x000000005e000000..0x000000005fffffff (32768 KiB) map reusable linux,cma',
        'Reserved memory: created CMA memory pool at 0x0000000060000000, size 8 MiB',
        'OF: reserved mem: initialized node camera-pool@60000000, compatible id shared-dma-pool',
        'OF: reserved mem: 0x0000000060000000..0x00000000607fffff (8192 KiB) map reusable camera-pool@60000000',
        'Reserved memory: incorrect alignment of CMA region',
        'OF: reserved mem: node misaligned@61100000 compatible matching fail',
        'OF: reserved mem: node both@62000000 compatible matching fail',
        'Reserved memory: created DMA memory pool at 0x0000000063000000, size 4 MiB',
        'OF: reserved mem: initialized node vpu@63000000, compatible id shared-dma-pool',
        'OF: reserved mem: 0x0000000063000000..0x00000000633fffff (4096 KiB) nomap non-reusable vpu@63000000',
      ])
      // The tree's default pool is the default area: no `cma: Reserved`, and the CMA heap's name.
      expect(records[0]?.stdout).toBe('linux,cma\n')
      expect(run.kernel.cma.totalK).toBe(40960)
    },
  )
})
