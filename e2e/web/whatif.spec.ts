import { join } from 'node:path'
import { expect, test } from '../support/fixtures'

const SCREENS_DIR = join(__dirname, '..', '..', '.test-reports', 'screens')

test.describe('the what-if', () => {
  // Each asks a fresh host for two boots of a big board on the 6.12 kernel, which the host has
  // not loaded yet (it warms the Lab's default kernel only).
  test.slow()
  test('arm-smmu as a module on db845c, asked from the form: verdict, A against B, unload refused', async ({
    modlab,
    page,
  }) => {
    await page.goto(`${modlab.baseUrl}#/whatif`)
    const form = page.getByTestId('whatif-form')
    await expect(form.locator('[data-board="db845c"]')).toBeChecked()
    await page.getByTestId('whatif-target').fill('CONFIG_ARM_SMMU')
    await page.getByTestId('whatif-change').selectOption('m')
    await page.getByTestId('whatif-run').click()
    await expect(page.getByTestId('whatif-summary')).toHaveAttribute('data-ok', 'true', {
      timeout: 80_000,
    })
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
  })

  test('the MediaTek timer with its series, from a link: the select still forces it on, rmmod ends in an Oops', async ({
    modlab,
    page,
  }) => {
    await page.goto(
      `${modlab.baseUrl}#/whatif?profile=mt8183-pumpkin&kernel=debian-6.12-arm64&target=CONFIG_MTK_TIMER&change=m&series=mediatek-2023-timer-modules`,
    )
    await expect(page.getByTestId('whatif-summary')).toHaveAttribute('data-ok', 'false', {
      timeout: 80_000,
    })
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
    await expect(page.getByTestId('device-details')).toContainText('10017000.timer', {
      timeout: 80_000,
    })
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
    await expect(page.getByTestId('whatif-summary')).toHaveAttribute('data-ok', 'false', {
      timeout: 80_000,
    })
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
  })
})
