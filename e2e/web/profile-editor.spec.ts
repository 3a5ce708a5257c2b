import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '../support/fixtures'
import type { ModlabPage } from '../support/modlab-page'

const SCREENS_DIR = join(__dirname, '..', '..', '.test-reports', 'screens')
const DB845C = join(__dirname, '..', '..', 'resources', 'profiles', 'db845c', 'board.dtb')
const FIXTURES = join(__dirname, '..', '..', 'tests', 'hardware', 'dts-fixtures')

/** Imports db845c's blob as the profile `board` and opens it in the editor, checked. */
async function importDb845c(modlab: ModlabPage) {
  const { page } = modlab
  await modlab.open('profiles')
  await page.getByLabel('Import a devicetree blob').setInputFiles(DB845C)
  await expect(modlab.profileRow('board')).toContainText('imported')
  await page.getByTestId('open-editor').click()
  await expect(page.getByTestId('node-tree')).toBeVisible()
  await expect(page.getByTestId('findings')).not.toContainText('Checking')
}

test('a real blob is imported, searched, edited, broken and checked', async ({ modlab, page }) => {
  await importDb845c(modlab)

  // Search the 890-node tree and open a node.
  await page.getByLabel('Search nodes').fill('serial@a84000')
  await page.locator('[data-path="/soc@0/geniqup@ac0000/serial@a84000"]').click()
  await expect(page.getByTestId('node-path')).toHaveText('/soc@0/geniqup@ac0000/serial@a84000')
  // Its clocks are links to the clock controller, which lists this node among its referrers.
  const clocks = page.locator('tr[data-property="clocks"]')
  // Named by clock-names, the target by the label the blob keeps in /__symbols__.
  await expect(clocks.locator('.link').first()).toHaveText(/se:\s+&gcc\s*0x56/)
  await page.screenshot({ path: join(SCREENS_DIR, 'profile-editor-node.png') })
  await clocks.locator('.link').first().click()
  await expect(page.getByTestId('node-path')).toHaveText('/soc@0/clock-controller@100000')
  await expect(page.getByTestId('referenced-by')).toContainText(
    '/soc@0/geniqup@ac0000/serial@a84000',
  )

  // Edit a property of the root, then break a phandle and see the check.
  await page.getByLabel('Search nodes').fill('')
  await page.locator('[data-path="/"]').click()
  const model = page.getByLabel('Value of model')
  await model.fill('"Dragonboard 845c, edited"')
  await model.press('Enter')
  await expect(page.getByTestId('unsaved')).toBeVisible()
  const parent = page.getByLabel('Value of interrupt-parent')
  await parent.fill('<0xdead>')
  await parent.press('Enter')
  await expect(page.getByTestId('findings')).toContainText(
    'refers to phandle 0xdead, which no node has',
  )
  await expect(page.locator('tr[data-property="interrupt-parent"] .broken')).toBeVisible()
  await page.screenshot({ path: join(SCREENS_DIR, 'profile-editor-broken.png') })

  // A typing mistake is refused in place; undo brings the phandle back.
  await parent.fill('<0x1')
  await parent.press('Enter')
  await expect(page.locator('tr[data-property="interrupt-parent"] .problem')).toContainText(
    'column',
  )
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(page.getByTestId('findings')).not.toContainText('0xdead')
})

test('a real blob is edited in its source, saved and exported', async ({ modlab, page }) => {
  await importDb845c(modlab)
  await page.locator('[data-path="/"]').click()
  const model = page.getByLabel('Value of model')
  await model.fill('"Dragonboard 845c, edited"')
  await model.press('Enter')

  // The DTS tab shows the same tree; an edit there comes back to the tree.
  await page.getByTestId('dts-tab').click()
  const source = page.getByTestId('dts-editor')
  await expect(source).toContainText('model = "Dragonboard 845c, edited";')
  await source.locator('.cm-content').click()
  await page.keyboard.press('Control+End')
  // Text goes in as one input and the line goes with one Backspace, as a user pastes and deletes:
  // every keystroke on its own would be followed by a parse of the whole 190 kB source.
  await page.keyboard.insertText('\n&{/} { broken = <1 ; };')
  await expect(page.getByTestId('dts-problem')).toContainText('profile.dts:')
  await page.screenshot({ path: join(SCREENS_DIR, 'profile-editor-dts.png') })
  await page.keyboard.press('Shift+Home')
  await page.keyboard.press('Backspace')
  await page.keyboard.insertText('/ { added-in-source; };')
  // Straight to the Node tab, before the source's check has run: what was typed is kept.
  await page.getByRole('tab', { name: 'Node' }).click()
  await expect(page.locator('tr[data-property="added-in-source"]')).toBeVisible()
  await page.getByTestId('dts-tab').click()
  await expect(page.getByTestId('dts-editor')).toContainText('added-in-source;')
  await expect(page.getByTestId('dts-problem')).toHaveCount(0)

  await page.getByTestId('save').click()
  await expect(page.getByTestId('notice')).toContainText('Saved')
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export .dts' }).click(),
  ])
  const exported = Buffer.concat(await (await download.createReadStream()).toArray()).toString()
  expect(exported).toContain('model = "Dragonboard 845c, edited";')
  expect(exported).toContain('added-in-source;')
})

test('a built-in is read-only until cloned; nodes are added, duplicated, toggled and deleted', async ({
  modlab,
  page,
}) => {
  await page.goto(`${modlab.baseUrl}#/profiles/qemu-virt`)
  await expect(page.getByTestId('node-tree')).toBeVisible()
  await expect(page.getByLabel('Value of model')).toHaveAttribute('readonly', '')
  await page.getByTestId('clone').click()
  await expect(page).toHaveURL(/#\/profiles\/qemu-virt-arm64-copy$/)
  await page.locator('[data-path="/"]').click()
  await page.getByLabel('New child node name').fill('test-node@1000')
  await page.getByRole('button', { name: 'Add child node' }).click()
  await expect(page.getByTestId('node-path')).toHaveText('/test-node@1000')
  await page.getByTestId('toggle-status').click()
  await expect(page.getByLabel('Value of status')).toHaveValue('"disabled"')
  await page.getByRole('button', { name: 'Duplicate' }).click()
  await expect(page.getByTestId('node-path')).toHaveText('/test-node-copy@1000')
  await page.getByRole('button', { name: 'Delete node' }).click()
  await expect(page.locator('[data-path="/test-node-copy@1000"]')).toHaveCount(0)
  await page.getByTestId('save').click()
  await expect(page.getByTestId('notice')).toContainText('Saved')

  // Deleting the clone can be undone.
  await modlab.open('profiles')
  await modlab.profileRow('qemu-virt-arm64-copy').click()
  await page.getByRole('button', { name: 'Delete profile' }).click()
  await page
    .getByTestId('profile-details')
    .getByRole('button', { name: 'Delete', exact: true })
    .click()
  await expect(modlab.profileRow('qemu-virt-arm64-copy')).toHaveCount(0)
  await page.getByTestId('undo-delete').getByRole('button', { name: 'Undo' }).click()
  await expect(modlab.profileRow('qemu-virt-arm64-copy')).toBeVisible()
})

test('a .dts is imported with the include folders it needs', async ({ modlab, page }, testInfo) => {
  await modlab.open('profiles')
  await page.getByLabel('Import a devicetree blob').setInputFiles(join(FIXTURES, 'board.dts'))
  await expect(page.getByTestId('source-import')).toBeVisible()
  await page.getByRole('button', { name: 'Import', exact: true }).click()
  await expect(page.getByTestId('source-import-error')).toContainText(
    'cannot find included file soc.dtsi',
  )
  // Folders as a user picks them: the board's folder, then the headers' folder.
  const boardDir = testInfo.outputPath('acme')
  mkdirSync(join(boardDir, 'include', 'dt-bindings', 'acme'), { recursive: true })
  for (const name of ['soc.dtsi', 'extra.dtsi', 'include/dt-bindings/acme/clock.h'])
    copyFileSync(join(FIXTURES, name), join(boardDir, name))
  await page.getByLabel('Add an include folder').setInputFiles(boardDir)
  await page.getByLabel('Add an include folder').setInputFiles(join(boardDir, 'include'))
  await page.screenshot({ path: join(SCREENS_DIR, 'profile-import-dts.png') })
  await page.getByRole('button', { name: 'Import', exact: true }).click()
  await expect(modlab.profileRow('board')).toContainText('imported')
  await expect(modlab.profileRow('board').getByTestId('model')).toHaveText('ACME Test Board')
})
