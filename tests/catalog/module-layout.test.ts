import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readKo } from '../../src-main/catalog/import/ko-reader'
import { LAYOUT_6_12, layoutRules } from '../../src-main/catalog/import/module-layout'
import { lacks } from '../support/tools'

const ROOT = join(__dirname, '..', '..')
const RELEASE = '6.1.0-56-arm64'
const TREE = join(ROOT, '.cache', 'kernels', RELEASE, 'lib', 'modules', RELEASE)
// Recorded on the real kernel by scripts/record-real-6.1-sizes.sh.
const RECORDED = join(ROOT, 'resources/kernels/debian-6.1-arm64/reference/proc-modules.txt')
const PATHS: Record<string, string> = {
  llc: 'net/llc',
  stp: 'net/802',
  garp: 'net/802',
  mrp: 'net/802',
  '8021q': 'net/8021q',
  dummy: 'drivers/net',
  vrf: 'drivers/net',
  xfrm_algo: 'net/xfrm',
  af_key: 'net/key',
  fat: 'fs/fat',
  vfat: 'fs/fat',
  cdrom: 'drivers/cdrom',
  isofs: 'fs/isofs',
  bridge: 'net/bridge',
  virtio_mmio: 'drivers/virtio',
  qemu_fw_cfg: 'drivers/firmware',
  gpio_keys: 'drivers/input/keyboard',
}

const page = (bytes: number | undefined) => Math.ceil((bytes ?? 0) / 4096) * 4096

describe('layoutRules', () => {
  it('6.1 keeps the old core layout, 6.12 the mod_mem one; the config decides KALLSYMS_ALL', () => {
    expect(layoutRules('6.1.0-56-arm64', '# CONFIG_KALLSYMS_ALL is not set\n')).toEqual({
      ftracePlts: 2,
      initFtraceTrampoline: false,
      kallsymsOwnPages: true,
      kallsymsAll: false,
    })
    expect(layoutRules('6.12.117+deb12-arm64', 'CONFIG_KALLSYMS_ALL=y\n')).toEqual(LAYOUT_6_12)
    expect(layoutRules('6.12.117+deb12-arm64').kallsymsAll).toBe(true)
  })
})

describe.skipIf(lacks(!existsSync(TREE), `${TREE} (scripts/fetch-kernel-packages.sh 6.1)`))(
  "Debian 6.1's module sizes",
  () => {
    it('are the real /proc/modules sizes of the recorded modules', () => {
      const config = readFileSync(join(ROOT, '.cache', 'kernels', RELEASE, 'config'), 'utf8')
      const rules = layoutRules(RELEASE, config)
      const recorded = readFileSync(RECORDED, 'utf8')
        .split('\n')
        .filter((line) => line && !line.startsWith('#'))
        .map((line) => line.split(' ') as [string, string])
      expect(recorded).toHaveLength(Object.keys(PATHS).length)
      const sizes = (name: string, layout: typeof rules) => {
        const bytes = readFileSync(join(TREE, 'kernel', PATHS[name] as string, `${name}.ko`))
        const regions = readKo(bytes, name, 'X', () => undefined, layout).sizes
        const { text, rodata, roAfterInit = 0, data } = regions
        return page(text) + page(rodata) + page(roAfterInit) + page(data)
      }
      expect(recorded.map(([name]) => [name, sizes(name, rules)])).toEqual(
        recorded.map(([name, size]) => [name, Number(size)]),
      )
      // 6.12's rules would get half of them wrong (bridge, cdrom, fat, 8021q by a page or more).
      const wrong = recorded.filter(([name, size]) => sizes(name, LAYOUT_6_12) !== Number(size))
      expect(wrong.length).toBeGreaterThan(3)
    })
  },
)
