import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatText } from '../../../src-main/kernel/dmesg-format'
import type { BootRequest } from '../../../src-main/sessions/boot-runner'
import { runScriptAt } from '../../../src-main/sessions/commands-at'
import { formatTranscript } from '../../../src-main/userspace/transcript'
import { expectGolden } from '../../support/golden'
import { ROOT } from '../helpers'

/**
 * The DMA-BUF heaps and CMA on hikey960 and db845c (Debian 6.12, seed 0): the CMA and
 * reserved-memory lines of the boot, and what the commands print, with the heaps built in (Debian
 * leaves DMABUF_HEAPS unset: the scenarios set it) and as the modules each heaps series makes,
 * against `golden/heaps/<scenario>.txt`. A change is a reviewed diff:
 * `UPDATE_GOLDEN=1 npx vitest run tests/kernel/heaps`.
 */
const DIR = join(__dirname, '..', 'golden', 'heaps')
const LINE = /cma|CMA|reserved mem|dma_heap|heap|Memory:/

const HEAPS = { CONFIG_DMABUF_HEAPS: 'y' } as const
const BUILTIN = { ...HEAPS, CONFIG_DMABUF_HEAPS_SYSTEM: 'y', CONFIG_DMABUF_HEAPS_CMA: 'y' } as const
const MODULES = { ...HEAPS, CONFIG_DMABUF_HEAPS_SYSTEM: 'm', CONFIG_DMABUF_HEAPS_CMA: 'm' } as const
const LOAD = [
  'ls /dev/dma_heap',
  'modprobe system_heap',
  'modprobe cma_heap',
  'ls /dev/dma_heap',
  'lsmod | grep heap',
  'grep heap /proc/modules',
  'rmmod cma_heap',
  'rmmod system_heap',
  'ls /dev/dma_heap',
].join('; ')

interface Scenario {
  name: string
  about: string
  request: Omit<BootRequest, 'resources'>
  script: string
}

function scenarios(board: string): Scenario[] {
  const base = { profile: board, kernel: 'debian-6.12-arm64' }
  return [
    {
      name: `${board}-builtin`,
      about: 'both heaps built in, as mainline 6.12 allows (bool): their devices exist from boot',
      request: { ...base, config: BUILTIN },
      script: 'ls /dev/dma_heap; ls /sys/class/dma_heap; cat /proc/meminfo',
    },
    {
      name: `${board}-modules-ripard-2026`,
      about:
        'both heaps modules with Ripard 2026: no device, so coldplug loads neither; modprobe adds each heap, both stay [permanent] and rmmod is refused',
      request: { ...base, config: MODULES, series: ['ripard-2026-dma-buf-heaps-modules'] },
      script: LOAD,
    },
    {
      name: `${board}-modules-stultz-2019`,
      about:
        "both heaps modules with Stultz's 2019 RFC as posted: 6.12's heaps call dma_heap_get_name, which it does not export, and dma_buf_export is in namespace DMA_BUF, which they do not import: neither loads",
      request: { ...base, config: MODULES, series: ['stultz-2019-dma-buf-heaps-modules'] },
      script: LOAD,
    },
  ]
}

function transcript(scenario: Scenario): string {
  const request = { ...scenario.request, resources: join(ROOT, 'resources') }
  const { run, records } = runScriptAt(request, scenario.script, undefined)
  const lines = run.kernel.log.records.map(formatText).filter((line) => LINE.test(line))
  return [
    `## ${scenario.about}\n`,
    `# dmesg | grep -E '${LINE.source}'\n${lines.join('\n')}\n`,
    formatTranscript(records),
  ].join('')
}

describe('DMA-BUF heaps and CMA', () => {
  for (const scenario of ['hikey960', 'db845c'].flatMap(scenarios)) {
    it(scenario.name, () => {
      const file = join(DIR, `${scenario.name}.txt`)
      // A missing golden fails here too (expectGolden would write it outside CI).
      if (!process.env.UPDATE_GOLDEN) expect(existsSync(file), `${file} is missing`).toBe(true)
      expectGolden(transcript(scenario), file)
    })
  }
})
