import { join } from 'node:path'
import { expect, test } from '../support/fixtures'

const SCREENS_DIR = join(__dirname, '..', '..', '.test-reports', 'screens')

for (const scheme of ['light', 'dark'] as const) {
  test(`HiKey960 on Debian 6.12: a waiting device shows what its probe waits for and why (${scheme})`, async ({
    modlab,
    page,
  }) => {
    await page.emulateMedia({ colorScheme: scheme })
    await modlab.open('lab')
    await page.getByLabel('Device profile').selectOption('hikey960')
    await page.getByLabel('Kernel profile').selectOption('debian-6.12-arm64')
    await modlab.boot()
    await expect(page.getByTestId('boot-status')).toContainText('running', { timeout: 30_000 })
    // The DWC3 controller waits for a USB PHY no driver of this kernel binds; the kernel records
    // dwc3_probe()'s dev_err_probe() message (drivers/usb/dwc3/core.c:2283).
    await page.getByLabel('Find device').fill('ff100000')
    await page.locator('[data-device="ff100000.usb"]').click()
    const details = page.getByTestId('device-details')
    await expect(details.getByTestId('device-state-detail')).toHaveText(
      'waits for the phy /soc/usb3_otg_bc@ff200000/usb-phy gives (phys); the kernel records "dwc3: failed to initialize core"',
    )
    const resources = details.getByTestId('device-resources')
    await expect(resources).toContainText('phy /soc/usb3_otg_bc@ff200000/usb-phy (phys, waiting)')
    await expect(resources).toContainText('reset /soc/crg_rst_controller (4× resets, taken)')
    await resources.scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(SCREENS_DIR, `lab-real-board-${scheme}.png`) })
    // A CoreSight component: AMBA matching by peripheral ID, which the simulation does not read.
    await page.getByLabel('Find device').fill('ecc40000')
    await page.locator('[data-device="ecc40000.etm"]').click()
    await expect(details.getByTestId('device-state-detail')).toContainText('peripheral ID')
  })
}
