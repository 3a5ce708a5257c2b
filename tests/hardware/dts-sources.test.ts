import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseDts } from '../../src-main/hardware/dts'
import { diskResolver } from '../../src-main/hardware/dts/disk-includes'
import { canonicalSource, compileWithCpp, kernelSources } from '../support/dts-sources'
import { lacks, lacksTools } from '../support/tools'

const sources = kernelSources()

/** Boards whose sources lean on includes, macros, overrides, deletions and &{/path}. */
const BOARDS = [
  'qcom/sdm845-db845c.dts',
  'hisilicon/hi3660-hikey960.dts',
  'broadcom/bcm2711-rpi-4-b.dts',
  'mediatek/mt8183-pumpkin.dts',
  'qcom/msm8998-xiaomi-sagit.dts',
  'rockchip/rk3399-rock-pi-4b.dts',
  'freescale/imx8mq-librem5-r4.dts',
  'amlogic/meson-g12b-odroid-n2.dts',
  'ti/k3-j721e-sk.dts',
  'nvidia/tegra194-p3509-0000+p3668-0000.dts',
]

// Debian's linux-source-6.1 (scripts/fetch-dts-sources.sh; .ci/run fetches it).
describe.skipIf(
  lacks(!sources, 'the kernel devicetree sources are not in .cache/dts-src') ||
    lacksTools('cpp', 'dtc'),
)('board sources from Debian’s linux-source package', () => {
  const { dir, includePrefixes } = sources ?? { dir: '', includePrefixes: '' }
  it.each(BOARDS)('%s parses to the tree cpp + dtc build', (board) => {
    const file = join(dir, 'arch', 'arm64', 'boot', 'dts', board)
    const includeDirs = [includePrefixes, dirname(file)]
    const mine = parseDts(file, readFileSync(file, 'utf8'), {
      resolver: diskResolver([includePrefixes]),
    })
    const theirs = compileWithCpp(file, includeDirs)
    expect(canonicalSource(mine)).toBe(canonicalSource(theirs))
    expect(mine.bootCpuId).toBe(theirs.bootCpuId)
  })
})
