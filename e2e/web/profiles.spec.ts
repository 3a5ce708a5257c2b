import { expect, test } from '../support/fixtures'

test('the app opens on the Lab with only the views that exist', async ({ modlab, page }) => {
  await page.goto(modlab.baseUrl)
  await expect(page).toHaveURL(/#\/lab$/)
  const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link')
  await expect(links).toHaveText(['Lab', 'What if', 'Profiles', 'Kernels', 'Sessions'])
  await expect(page).toHaveTitle('Lab · modlab')
  await modlab.navigate('Profiles')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Device profiles')
})

test('the built-in QEMU virt profile shows its board model, node count and provenance', async ({
  modlab,
}) => {
  await modlab.open('profiles')
  const row = modlab.profileRow('qemu-virt')
  await expect(row).toContainText('QEMU virt (arm64)')
  await expect(row.getByTestId('model')).toHaveText('linux,dummy-virt')
  // `dtc -I dtb -O dts resources/profiles/qemu-virt/board.dtb` has 62 nodes, the root included.
  await expect(row.getByTestId('node-count')).toHaveText('62')
  await expect(row).toContainText('2 GiB')
  const details = modlab.page.getByTestId('profile-details')
  await expect(details).toContainText('dumpdtb=board.dtb')
  await expect(details).toContainText(/[0-9a-f]{64}/)
  const checks = modlab.page.getByTestId('profile-checks')
  await expect(checks).toContainText('against Debian 6.1 arm64')
  // Grouped by kind, with counts: dtc finds nothing wrong with virt's tree; one node lacks a driver.
  await expect(checks.getByRole('group', { name: 'Filter checks' })).toHaveText(
    /All\s+1\s*No driver matches\s+1/,
  )
  await expect(checks).toContainText(
    'no driver in Debian 6.1 arm64 (6.1.0-56-arm64) matches cfi-flash',
  )
})

test('the sidebar names the host and the data directory', async ({ modlab, webHost }) => {
  await modlab.open('profiles')
  const about = modlab.page.getByTestId('app-info')
  await expect(about).toContainText('· web')
  await expect(about).toContainText(webHost.dataDir)
})
