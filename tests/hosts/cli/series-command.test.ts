import { describe, expect, it } from 'vitest'
import { useTempDir } from '../../store/helpers'
import { runCapturing } from './helpers'

const tempDir = useTempDir()

const cli = (...argv: string[]) => runCapturing(argv, tempDir())

const HEAPS = [
  '--profile',
  'qemu-virt',
  '--kernel',
  'debian-6.12-arm64',
  '--seed',
  '0',
  '--config',
  'CONFIG_DMABUF_HEAPS=y',
  '--config',
  'CONFIG_DMABUF_HEAPS_SYSTEM=m',
]

describe('modlab series', () => {
  it('lists the shipped series with when they were posted and merged', async () => {
    const result = await cli('series', 'list')
    expect(result.code).toBe(0)
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^NAME\s+POSTED\s+MERGED\s+APPLIES TO\s+TITLE$/)
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^lezcano-2025-timer-modules-scene\s+2025-06-02 v1\s+merged in 6\.18\s+6\.1, 6\.12\s+Setting the scene/,
      ),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^manjarres-2019-modular-iommu\s+2019-05-17 RFC\s+not merged\s+\(none\)/,
      ),
    )
    const json = JSON.parse((await cli('series', 'list', '--json')).stdout)
    expect(json).toHaveLength(6)
    expect(json[3]).toMatchObject({
      name: 'mediatek-2023-timer-modules',
      source: { messageId: '20230517022557.24388-1-walter.chang@mediatek.com' },
    })
  })

  it('shows one series, and refuses an unknown name with the known ones', async () => {
    const shown = await cli('series', 'show', 'ripard-2026-dma-buf-heaps-modules')
    expect(shown.code).toBe(0)
    expect(shown.stdout).toContain(
      '  message-id <20260331-dma-buf-heaps-as-modules-v4-0-e18fda504419@kernel.org>',
    )
    expect(shown.stdout).toContain('    [5] export cma_alloc (GPL)')
    expect(shown.stdout).toContain(
      '    [8] tristate CONFIG_DMABUF_HEAPS_SYSTEM → system_heap [permanent]',
    )
    const unknown = await cli('series', 'show', 'nope')
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(
      /unknown series "nope"; known: lezcano-2025-timer-modules-scene, /,
    )
  })
})

describe('boot and run --series', () => {
  it('refuse an unknown series, one that does not apply, and m on a bool symbol without it', async () => {
    const unknown = await cli('boot', '--profile', 'qemu-virt', '--series', 'nope')
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/unknown series "nope"; known: lezcano-2025-timer-modules-scene/)
    const iommu = await cli(
      'boot',
      '--profile',
      'qemu-virt',
      '--kernel',
      'debian-6.12-arm64',
      '--series',
      'manjarres-2019-modular-iommu',
    )
    expect(iommu.code).toBe(1)
    expect(iommu.stderr).toMatch(/does not apply to kernel debian-6\.12-arm64 \(6\.12\)/)
    const bool = await cli(
      'boot',
      '--profile',
      'mt8183-pumpkin',
      '--kernel',
      'debian-6.12-arm64',
      '--config',
      'CONFIG_MTK_TIMER=m',
    )
    expect(bool.code).toBe(1)
    expect(bool.stderr).toMatch(
      /CONFIG_MTK_TIMER is a bool symbol \(driver mtk_syst_init\) and cannot be m/,
    )
  })

  it('with the MediaTek series, coldplug loads timer_mediatek on mt8183-pumpkin', async () => {
    const result = await cli(
      'run',
      '--profile',
      'mt8183-pumpkin',
      '--kernel',
      'debian-6.12-arm64',
      '--seed',
      '0',
      '--series',
      'mediatek-2023-timer-modules',
      '--config',
      'CONFIG_MTK_TIMER=m',
      '-e',
      'lsmod | grep timer_mediatek; ls /sys/bus/platform/drivers/mediatek-timer',
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('timer_mediatek             0  0\n')
    // One platform driver with both compatibles binds the board's mt6765-compatible timer.
    expect(result.stdout).toContain('\n10017000.timer\n')
  })

  it('resolves the exports a series adds: the 2026 heaps load and stay, the 2019 RFC lacks some', async () => {
    const ripard = await cli(
      'run',
      ...HEAPS,
      '--series',
      'ripard-2026-dma-buf-heaps-modules',
      '-e',
      'modprobe system_heap; grep system_heap /proc/modules; rmmod system_heap',
    )
    expect(ripard.stdout).toContain('system_heap 0 0 [permanent], Live')
    expect(ripard.stdout).toContain('could not remove module system_heap: Device or resource busy')
    const stultz = await cli(
      'run',
      ...HEAPS,
      '--series',
      'stultz-2019-dma-buf-heaps-modules',
      '-e',
      'modprobe system_heap',
    )
    expect(stultz.stdout).toContain('system_heap: Unknown symbol dma_heap_get_name (err -2)')
    expect(stultz.stdout).toContain(
      'system_heap: module uses symbol (dma_buf_export) from namespace DMA_BUF, but does not import it.',
    )
  })

  it('saves a boot with its series through the validated API', async () => {
    const saved = await cli(
      'boot',
      '--profile',
      'mt8183-pumpkin',
      '--kernel',
      'debian-6.12-arm64',
      '--series',
      'mediatek-2023-timer-modules',
      '--config',
      'CONFIG_MTK_TIMER=m',
      '--until',
      'time_init',
      '--save',
    )
    expect(saved.code).toBe(0)
    expect(saved.stderr).toMatch(/^modlab: saved as boot \d+ in session \d+\n$/)
  })
})
