import { join } from 'node:path'
import { expect, test } from '../support/fixtures'

// Screenshots of every view in both themes, for people to look at: .test-reports/screens/.
const SCREENS_DIR = join(__dirname, '..', '..', '.test-reports', 'screens')

for (const scheme of ['light', 'dark'] as const) {
  test(`every view renders in the ${scheme} theme`, async ({ modlab, page }) => {
    await page.emulateMedia({ colorScheme: scheme })
    await modlab.open('profiles')
    await expect(modlab.profileRow('qemu-virt')).toBeVisible()
    await page.screenshot({ path: join(SCREENS_DIR, `profiles-${scheme}.png`) })

    await modlab.navigate('Sessions')
    await expect(page.getByTestId('sessions-empty')).toBeVisible()
    await page.screenshot({ path: join(SCREENS_DIR, `sessions-empty-${scheme}.png`) })

    for (const name of [
      'virt: baseline boot',
      'mtk-timer as a module',
      'arm-smmu deferral, timeout 30 s',
    ]) {
      await modlab.createSession(name)
    }
    await modlab.sessionRow('mtk-timer as a module').getByRole('button', { name: 'Rename' }).click()
    await modlab.sessionRow('virt: baseline boot').getByRole('button', { name: 'Delete' }).click()
    await page.screenshot({ path: join(SCREENS_DIR, `sessions-${scheme}.png`) })
    await modlab.open('lab')
    await modlab.boot({ faults: 'pl061_gpio:defer:1000' })
    await expect(page.getByTestId('boot-status')).toContainText('running')
    await page.locator('[data-device="9030000.pl061"]').click()
    await page.screenshot({ path: join(SCREENS_DIR, `lab-${scheme}.png`) })

    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    expect(background).toBe(scheme === 'dark' ? 'rgb(22, 24, 29)' : 'rgb(247, 248, 250)')
  })
}
