import { join } from 'node:path'
import { expect, test } from '../support/fixtures'

const SCREENS_DIR = join(__dirname, '..', '..', '.test-reports', 'screens')

for (const scheme of ['light', 'dark'] as const) {
  test(`a built-in board reads as read-only, in the ${scheme} theme`, async ({ modlab, page }) => {
    await page.emulateMedia({ colorScheme: scheme })
    await page.goto(`${modlab.baseUrl}#/profiles/qemu-virt`)
    await page.locator('[data-path="/intc@8000000"]').click()
    const value = page.getByLabel('Value of compatible')
    await expect(value).toHaveAttribute('readonly', '')
    await expect(value).toHaveCSS('border-top-color', 'rgba(0, 0, 0, 0)')
    // "Referenced by": the property stands apart from the path that refers.
    const via = page.getByTestId('referenced-by').locator('.via').first()
    await expect(via).toHaveText('interrupt-parent')
    await expect(via).toHaveCSS('margin-left', /^[1-9]/)
    await page.screenshot({ path: join(SCREENS_DIR, `profile-editor-readonly-${scheme}.png`) })

    await page.getByTestId('dts-tab').click()
    const gutter = page.getByTestId('dts-editor').locator('.cm-gutters')
    await expect(gutter).toBeVisible()
    await expect(gutter).toHaveCSS(
      'background-color',
      scheme === 'dark' ? 'rgb(36, 40, 47)' : 'rgb(241, 243, 246)',
    )
    await page.screenshot({ path: join(SCREENS_DIR, `profile-editor-dts-${scheme}.png`) })
  })
}

test('one Ctrl+Z in the DTS tab undoes a draft as typed, not the profile', async ({
  modlab,
  page,
}) => {
  await page.goto(`${modlab.baseUrl}#/profiles/qemu-virt`)
  await page.getByTestId('clone').click()
  await expect(page).toHaveURL(/#\/profiles\/qemu-virt-arm64-copy$/)
  await page.locator('[data-path="/"]').click()
  const model = page.getByLabel('Value of model')
  await model.fill('"virt, edited"')
  await model.press('Enter')
  await page.getByTestId('dts-tab').click()
  const source = page.getByTestId('dts-editor')
  await expect(source).toContainText('model = "virt, edited";')
  await source.locator('.cm-content').click()
  await page.keyboard.press('Control+End')
  await page.keyboard.type('\n&{/} { broken = <1 ; };')
  await expect(page.getByTestId('dts-problem')).toBeVisible()
  await page.keyboard.press('Control+z')
  await expect(source).not.toContainText('broken')
  await expect(page.getByTestId('dts-problem')).toHaveCount(0)
  // The profile's own edit is still there: the source tab's Ctrl+Z did not reach the profile too.
  await page.getByRole('tab', { name: 'Node' }).click()
  await expect(page.getByLabel('Value of model')).toHaveValue('"virt, edited"')
})
