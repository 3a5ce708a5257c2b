import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '../support/fixtures'

const VIRT_DTB = join(__dirname, '..', '..', 'resources', 'profiles', 'qemu-virt', 'board.dtb')

test('a real .dtb is imported as a profile, booted in the Lab, and deleted', async ({
  modlab,
  page,
}) => {
  await modlab.open('profiles')
  await page.getByLabel('Import a devicetree blob').setInputFiles(VIRT_DTB)
  const row = modlab.profileRow('board')
  await expect(row).toContainText('imported')
  await expect(row.getByTestId('node-count')).toHaveText('62')
  await expect(page.getByTestId('profile-details')).toContainText('imported from board.dtb')

  await modlab.open('lab')
  await page.getByLabel('Device profile').selectOption('board')
  await modlab.boot()
  await expect(page.getByTestId('boot-status')).toContainText('running')

  await modlab.open('profiles')
  await row.click()
  await page.getByRole('button', { name: 'Delete profile' }).click()
  await page
    .getByTestId('profile-details')
    .getByRole('button', { name: 'Delete', exact: true })
    .click()
  await expect(modlab.profileRow('board')).toHaveCount(0)
  await expect(modlab.profileRow('qemu-virt')).toBeVisible()
})

test('a file that is not a devicetree blob is refused with a message', async ({
  modlab,
  page,
}, testInfo) => {
  const bogus = testInfo.outputPath('notes.dtb')
  writeFileSync(bogus, 'these are my notes, not a devicetree blob')
  await modlab.open('profiles')
  const rows = page.getByTestId('profiles-table').locator('tbody tr')
  const before = await rows.count()
  await page.getByLabel('Import a devicetree blob').setInputFiles(bogus)
  await expect(modlab.errorBanner()).toContainText(
    'notes.dtb: not a devicetree blob: magic is 0x74686573',
  )
  await expect(rows).toHaveCount(before)
})

test('a profile is exported as source and as a blob', async ({ modlab, page }) => {
  await modlab.open('profiles')
  const [dts] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export .dts' }).click(),
  ])
  expect(dts.suggestedFilename()).toBe('qemu-virt.dts')
  const source = await (await dts.createReadStream()).toArray()
  expect(Buffer.concat(source).toString()).toMatch(
    /^\/dts-v1\/;\n\n\/ \{\n\tinterrupt-parent = <0x8005>;/,
  )
  const [dtb] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export .dtb' }).click(),
  ])
  expect(dtb.suggestedFilename()).toBe('qemu-virt.dtb')
  const blob = Buffer.concat(await (await dtb.createReadStream()).toArray())
  expect(blob.readUInt32BE(0)).toBe(0xd00dfeed)
})
