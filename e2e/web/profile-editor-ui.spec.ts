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
  // A mistake is named with the property the user typed into.
  await model.fill('@')
  await model.press('Enter')
  await expect(page.locator('tr[data-property="model"] .problem')).toContainText(
    'expected a value for model',
  )
  await model.fill('"virt, edited"')
  await model.press('Enter')
  await page.getByTestId('dts-tab').click()
  const source = page.getByTestId('dts-editor')
  await expect(source).toContainText('model = "virt, edited";')
  await source.locator('.cm-content').click()
  await page.keyboard.press('Control+End')
  // One input event: typed key by key, a loaded machine spreads the keys over CodeMirror's
  // 500 ms grouping window and the draft becomes several undo steps.
  await page.keyboard.insertText('\n&{/} { broken = <1 ; };')
  await expect(page.getByTestId('dts-problem')).toBeVisible()
  await page.keyboard.press('Control+z')
  await expect(source).not.toContainText('broken')
  await expect(page.getByTestId('dts-problem')).toHaveCount(0)
  // The profile's own edit is still there: the source tab's Ctrl+Z did not reach the profile too.
  await page.getByRole('tab', { name: 'Node' }).click()
  await expect(page.getByLabel('Value of model')).toHaveValue('"virt, edited"')
})

test('links and findings reveal their node in a searched tree, with back and forward; checks follow dtc', async ({
  modlab,
  page,
}) => {
  await page.goto(`${modlab.baseUrl}#/profiles/db845c`)
  const findings = page.getByTestId('findings')
  const kinds = findings.getByRole('group', { name: 'Filter checks' })
  // On stock db845c, dtc (with the kernel build's flags) finds one duplicate unit address among enabled nodes.
  await expect(kinds.locator('[data-check="unique_unit_address_if_enabled"]')).toHaveText(
    /Duplicate unit addresses\s+1/,
  )
  await expect(kinds.locator('[data-check="unit_address_vs_reg"]')).toHaveCount(0)

  await page.getByLabel('Search nodes').fill('serial@a84000')
  await page.locator('[data-path="/soc@0/geniqup@ac0000/serial@a84000"]').click()
  const interconnects = page.locator('tr[data-property="interconnects"] .link')
  await expect(interconnects.nth(0)).toHaveText(/qup-core:\s+&\w+\s*0xc 0x0/)
  // An interconnect path is a source and a destination under one name.
  await expect(interconnects.nth(1)).not.toContainText(':')
  await expect(interconnects.nth(2)).toHaveText(/qup-config:\s+&\w+\s*0x0 0x0/)
  await page.locator('tr[data-property="clocks"] .link').first().click()
  const path = page.getByTestId('node-path')
  await expect(path).toHaveText('/soc@0/clock-controller@100000')
  await expect(page.locator('[data-path="/soc@0/clock-controller@100000"]')).toBeVisible()
  await page.getByRole('button', { name: 'Back' }).click()
  await expect(path).toHaveText('/soc@0/geniqup@ac0000/serial@a84000')
  await page.getByRole('button', { name: 'Forward' }).click()
  await expect(path).toHaveText('/soc@0/clock-controller@100000')

  await kinds.locator('[data-check="unique_unit_address_if_enabled"]').click()
  await expect(findings.locator('li')).toHaveCount(1)
  await findings.locator('li').click()
  await expect(path).toHaveText('/soc@0/qfprom@784000/hstx-trim-secondary@1eb')
  await expect(
    page.locator('[data-path="/soc@0/qfprom@784000/hstx-trim-secondary@1eb"]'),
  ).toBeVisible()
  await page.screenshot({ path: join(SCREENS_DIR, 'profile-editor-checks.png') })
})

test('an empty .dtb is refused with a message that names the file', async ({ modlab, page }) => {
  await modlab.open('profiles')
  await page.getByLabel('Import a devicetree blob').setInputFiles({
    name: 'empty.dtb',
    mimeType: 'application/octet-stream',
    buffer: Buffer.alloc(0),
  })
  await expect(modlab.errorBanner()).toHaveText(
    /empty\.dtb is empty: a devicetree blob starts with the magic 0xd00dfeed/,
  )
})
