import { join } from 'node:path'
import { expect, test } from '../support/fixtures'

const SCREENS_DIR = join(__dirname, '..', '..', '.test-reports', 'screens')

test.describe('the what-if', () => {
  // Each asks a fresh host for two boots of a big board on the 6.12 kernel, which the host has
  // not loaded yet (it warms the Lab's default kernel only): its depmod run comes from the run's
  // disk cache, boot B's is derived (global-setup.ts).
  test.setTimeout(60_000)
  const ANSWER = { timeout: 40_000 }
  test('arm-smmu as a module on db845c, asked from the form: verdict, A against B, unload refused', async ({
    modlab,
    page,
  }) => {
    test.setTimeout(75_000) // the what-if, then its boot B booted again in the Lab
    await page.goto(`${modlab.baseUrl}#/whatif`)
    const form = page.getByTestId('whatif-form')
    await expect(form.locator('[data-board="db845c"]')).toBeChecked()
    await page.getByTestId('whatif-target').fill('CONFIG_ARM_SMMU')
    await page.getByTestId('whatif-change').selectOption('m')
    await page.getByTestId('whatif-run').click()
    await expect(page.getByTestId('whatif-summary')).toHaveAttribute('data-ok', 'true', ANSWER)
    await expect(page.getByTestId('whatif-verdict')).toHaveAttribute('data-builds', 'true')
    const board = page.locator('[data-testid="whatif-board"][data-board="db845c"]')
    await expect(board.getByTestId('whatif-modules')).toContainText('loaded arm_smmu')
    await expect(board.getByTestId('whatif-unload')).toContainText('Module arm_smmu is in use')
    await board.getByRole('button', { name: 'show the diff' }).click()
    await expect(board.getByTestId('whatif-dmesg')).toContainText('Adding to iommu group')
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      await page.screenshot({
        path: join(SCREENS_DIR, `whatif-smmu-${scheme}.png`),
        fullPage: true,
      })
    }
    // A line of boot B leads to it in the Lab's console, boot B booted there.
    const line = board
      .getByTestId('whatif-dmesg')
      .locator('button[data-side="right"]', { hasText: 'Adding to iommu group' })
      .first()
    const text = (await line.textContent())?.trim() ?? ''
    await line.click()
    const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    await expect(page.locator('[data-seq].highlight')).toHaveText(new RegExp(`${escaped}$`), ANSWER)
    await page.screenshot({ path: join(SCREENS_DIR, 'whatif-line-in-lab.png') })
  })

  test('the MediaTek timer with its series, from a link: the select still forces it on, rmmod ends in an Oops', async ({
    modlab,
    page,
  }) => {
    await page.goto(
      `${modlab.baseUrl}#/whatif?profile=mt8183-pumpkin&kernel=debian-6.12-arm64&target=CONFIG_MTK_TIMER&change=m&series=mediatek-2023-timer-modules`,
    )
    await expect(page.getByTestId('whatif-summary')).toHaveAttribute('data-ok', 'false', ANSWER)
    const verdict = page.getByTestId('whatif-verdict')
    await expect(verdict.locator('[data-code="kconfig-selected"]')).toContainText(
      'ARCH_MEDIATEK=y selects MTK_TIMER',
    )
    await expect(verdict.locator('[data-code="of-declare"]')).toHaveCount(0)
    const board = page.locator('[data-testid="whatif-board"][data-board="mt8183-pumpkin"]')
    await expect(board.getByTestId('whatif-unload')).toHaveAttribute('data-exit', '0')
    await expect(board.getByTestId('whatif-unload')).toContainText('Internal error: Oops')
    // A changed device opens in the Lab, on boot B.
    await board.locator('[data-device="10017000.timer"] button').click()
    await expect(page.getByTestId('device-details')).toContainText('10017000.timer', ANSWER)
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      await page.screenshot({ path: join(SCREENS_DIR, `whatif-lab-device-${scheme}.png`) })
    }
  })

  test('asked from a device in the Lab: the Exynos MCT cannot be a module, and why', async ({
    modlab,
    page,
  }) => {
    await modlab.open('lab')
    await page.getByLabel('Device profile').selectOption('pixel6-oriole')
    await page.getByLabel('Kernel profile').selectOption('debian-6.12-arm64')
    await modlab.boot()
    await page.getByPlaceholder('Find device').fill('mct')
    await page.locator('[data-device="10050000.timer"]').click()
    await page.getByTestId('device-whatif').click()
    await expect(page.getByTestId('whatif-summary')).toHaveAttribute('data-ok', 'false', ANSWER)
    const verdict = page.getByTestId('whatif-verdict')
    await expect(verdict.locator('[data-code="kconfig-bool"]')).toBeVisible()
    await expect(verdict.locator('[data-code="of-declare"]').first()).toContainText(
      'TIMER_OF_DECLARE',
    )
    await expect(page.getByTestId('whatif-refused')).toContainText('bool symbol')
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      await page.screenshot({ path: join(SCREENS_DIR, `whatif-mct-${scheme}.png`), fullPage: true })
    }
    // From a loaded module, the question is the other way round: what if it were built in?
    await modlab.navigate('Lab')
    await page.getByRole('tab', { name: 'Modules' }).click()
    const row = page.getByTestId('lsmod-table').locator('[data-module="dwc3"]')
    await row.getByRole('button', { name: 'what if?' }).click()
    await expect(page.getByTestId('whatif-target')).toHaveValue('dwc3')
    await expect(page.getByTestId('whatif-change')).toHaveValue('y')
  })

  test('the memory argument: every Exynos SoC driver on every board, with the select series', async ({
    modlab,
    page,
  }) => {
    await page.goto(`${modlab.baseUrl}#/whatif`)
    await page.getByTestId('whatif-all-boards').check()
    await page.locator('[data-preset="Exynos SoC drivers"]').click()
    await expect(page.getByTestId('whatif-target')).toHaveValue(
      /CONFIG_EXYNOS_PMU, .*CONFIG_EXYNOS_CHIPID/,
    )
    await page.locator('[data-series="mcvicker-2021-exynos-select"]').check()
    await page.getByTestId('whatif-run').click()
    await expect(page.getByTestId('whatif-summary')).toHaveAttribute('data-ok', 'false', ANSWER)
    // The series makes the chip-id driver a module; the MCT stays a TIMER_OF_DECLARE timer.
    const verdict = (symbol: string) =>
      page.locator(`[data-testid="whatif-verdict"][data-symbol="${symbol}"]`)
    await expect(verdict('CONFIG_EXYNOS_CHIPID')).toHaveAttribute('data-builds', 'true')
    await expect(verdict('CONFIG_CLKSRC_EXYNOS_MCT')).toHaveAttribute('data-builds', 'false')
    await expect(
      verdict('CONFIG_CLKSRC_EXYNOS_MCT').locator('[data-code="of-declare"]').first(),
    ).toBeVisible()
    // What each board pays for the set: only Pixel 6 loads any of it.
    const together = page.getByTestId('whatif-memory').first()
    await expect(together).toHaveAttribute('data-symbol', /together, one module each/)
    await expect(together.locator('tr[data-board="pixel6-oriole"] td').nth(1)).toContainText(
      'node(s)',
    )
    await expect(together.locator('tr[data-board="db845c"] td').nth(1)).toHaveText('never loads it')
    await expect(page.getByTestId('whatif-split-cost')).toContainText('with 64K pages')
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      await page.getByTestId('whatif-form').scrollIntoViewIfNeeded()
      await page.screenshot({ path: join(SCREENS_DIR, `whatif-exynos-${scheme}.png`) })
      await together.screenshot({ path: join(SCREENS_DIR, `whatif-memory-${scheme}.png`) })
    }
  })

  test('the DMA-BUF heaps as modules on HiKey960, with the 2026 series: permanent, and missing until someone loads them', async ({
    modlab,
    page,
  }) => {
    await page.goto(`${modlab.baseUrl}#/whatif`)
    const form = page.getByTestId('whatif-form')
    await form.locator('[data-board="db845c"]').uncheck()
    await form.locator('[data-board="hikey960"]').check()
    await page.locator('[data-preset="DMA-BUF heaps"]').click()
    await expect(page.getByTestId('whatif-target')).toHaveValue(/^CONFIG_DMABUF_HEAPS=y, /)
    await page.locator('[data-series="ripard-2026-dma-buf-heaps-modules"]').check()
    await page.getByTestId('whatif-run').click()
    // Built and loaded by nobody: no device has a modalias for a heap, so coldplug leaves them.
    await expect(page.getByTestId('whatif-summary')).toHaveAttribute('data-ok', 'true', ANSWER)
    const cma = page.locator(
      '[data-testid="whatif-verdict"][data-symbol="CONFIG_DMABUF_HEAPS_CMA"]',
    )
    await expect(cma).toHaveAttribute('data-builds', 'true')
    await expect(cma.locator('[data-code="permanent"]')).toContainText('[permanent]')
    await expect(cma.locator('[data-code="no-device"]')).toContainText('coldplug never loads it')
    const board = page.locator('[data-testid="whatif-board"][data-board="hikey960"]')
    await expect(board.getByTestId('whatif-heaps')).toContainText('/dev/dma_heap/system')
    // Loaded at 20 s instead, the heaps are there and rmmod is refused.
    await page.getByTestId('whatif-load').selectOption('at')
    await page.getByTestId('whatif-run').click()
    await expect(board.getByTestId('whatif-modules')).toContainText('cma_heap', ANSWER)
    await expect(board.getByTestId('whatif-heaps')).toHaveCount(0)
    await expect(board.getByTestId('whatif-unload').first()).toHaveAttribute('data-exit', '1')
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      await board.screenshot({ path: join(SCREENS_DIR, `whatif-heaps-${scheme}.png`) })
    }
  })

  test('freed when unused, from the example in the Lab: boot B frees the Exynos drivers, in the Lab too', async ({
    modlab,
    page,
  }) => {
    test.setTimeout(75_000) // the what-if, then its boot B booted again in the Lab
    await page.goto(`${modlab.baseUrl}#/lab`)
    await page
      .getByTestId('lab-welcome')
      .locator('li', { hasText: 'freed when unused, on the Dragonboard 845c' })
      .getByRole('link', { name: 'Ask' })
      .click()
    await expect(page.getByTestId('whatif-summary')).toHaveAttribute('data-ok', 'true', ANSWER)
    const board = page.locator('[data-testid="whatif-board"][data-board="db845c"]')
    await board.getByRole('button', { name: 'show the diff' }).click()
    const freed = 'modlab: free_unused_builtin (proposed upstream, not in Linux)'
    await expect(board.getByTestId('whatif-dmesg')).toContainText(freed)
    // The line leads to boot B in the Lab, which the Lab boots with the same `free` changes.
    await board
      .getByTestId('whatif-dmesg')
      .locator('button[data-side="right"]', { hasText: 'Freeing unused built-in driver memory' })
      .first()
      .click()
    await expect(page.locator('[data-seq].highlight')).toContainText(
      /Freeing unused built-in driver memory: 96K$/,
      ANSWER,
    )
  })
})
