import { join } from 'node:path'
import { expect, test } from '../support/fixtures'

const SCREENS_DIR = join(__dirname, '..', '..', '.test-reports', 'screens')

for (const scheme of ['light', 'dark'] as const) {
  test(`db845c on Debian 6.12: a waiting device shows what its probe waits for and why (${scheme})`, async ({
    modlab,
    page,
  }) => {
    await page.emulateMedia({ colorScheme: scheme })
    await modlab.open('lab')
    await page.getByLabel('Device profile').selectOption('db845c')
    await page.getByLabel('Kernel profile').selectOption('debian-6.12-arm64')
    await modlab.boot()
    await expect(page.getByTestId('boot-status')).toContainText('running', { timeout: 30_000 })
    await page.getByLabel('Find device').fill('ufshc')
    await page.locator('[data-device="1d84000.ufshc"]').click()
    const details = page.getByTestId('device-details')
    await expect(details.getByTestId('device-state-detail')).toHaveText(
      'waits for the phy /soc@0/phy@1d87000 gives (phys)',
    )
    const resources = details.getByTestId('device-resources')
    await expect(resources).toContainText('phy /soc@0/phy@1d87000 (phys, waiting)')
    await expect(resources).toContainText('regulator /soc@0/rsc@179c0000/regulators-0/ldo20')
    await expect(resources).toContainText('clock /soc@0/clock-controller@100000 (8× clocks, taken)')
    await resources.scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(SCREENS_DIR, `lab-real-board-${scheme}.png`) })
    // A CoreSight component: AMBA matching by peripheral ID, which the simulation does not read.
    await page.getByLabel('Find device').fill('7040000')
    await page.locator('[data-device="7040000.etm"]').click()
    await expect(details.getByTestId('device-state-detail')).toContainText('peripheral ID')
  })
}
