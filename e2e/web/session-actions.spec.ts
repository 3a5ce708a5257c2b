import { join } from 'node:path'
import { expect, test } from '../support/fixtures'

const SCREENS_DIR = join(__dirname, '..', '..', '.test-reports', 'screens')

for (const scheme of ['light', 'dark'] as const) {
  test(`a session's actions replay, step, run to here, export and import (${scheme})`, async ({
    modlab,
    page,
  }) => {
    test.setTimeout(120_000)
    await page.emulateMedia({ colorScheme: scheme })
    await modlab.open('lab')
    await modlab.boot()
    const shell = page.getByLabel('Shell command')
    await shell.fill('lsmod')
    await shell.press('Enter')
    await expect(page.getByTestId('kernel-shell')).toContainText('gpio_keys')

    await modlab.navigate('Sessions')
    const row = modlab.sessionRows().first()
    await row.getByRole('button', { name: 'Actions' }).click()
    const actions = page.getByTestId('session-actions')
    await expect(actions.locator('li')).toHaveCount(2)
    await expect(actions.locator('li').nth(0)).toContainText('boot qemu-virt on debian-6.1-arm64')
    await expect(actions.locator('li').nth(1)).toContainText('shell: lsmod')
    await expect(actions.locator('li').nth(1)).toContainText('exit 0')

    await actions.getByRole('button', { name: 'Step' }).click()
    const verdict = page.getByTestId('replay-verdict')
    await expect(verdict).toContainText('identical: 1 of 2 actions replayed', { timeout: 30_000 })
    await actions.getByRole('button', { name: 'Replay' }).click()
    await expect(verdict).toContainText('identical: 2 of 2 actions replayed', { timeout: 30_000 })
    await expect(actions.locator('li[data-status="identical"]')).toHaveCount(2)
    await actions.locator('li').nth(0).getByRole('button', { name: 'Run to here' }).click()
    await expect(verdict).toContainText('identical: 1 of 2 actions replayed', { timeout: 30_000 })
    await page.screenshot({ path: join(SCREENS_DIR, `session-actions-${scheme}.png`) })

    const download = page.waitForEvent('download')
    await actions.getByRole('button', { name: 'Export' }).click()
    const file = join(test.info().outputDir, 'session.json')
    await (await download).saveAs(file)
    await page.getByLabel('Import a session').setInputFiles(file)
    await expect(modlab.sessionRows()).toHaveCount(2)
  })
}
