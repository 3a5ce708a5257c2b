import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, test } from '../support/fixtures'

const SCREENS_DIR = join(__dirname, '..', '..', '.test-reports', 'screens')

const VIRT = { profile: 'qemu-virt', kernel: 'debian-6.1-arm64', cmdline: '', seed: 0 }

/**
 * Recorded through the same API the Lab uses: a boot whose RTC probe fails, then the same boot
 * without the fault, and (with `healthy`) a session of a healthy boot with gpio_keys unloaded.
 */
async function recordSessions(page: Page, healthy: boolean) {
  await page.evaluate(
    async ({ virt, healthy }) => {
      if (healthy) {
        const session = await window.modlab.sessions.create({ name: 'virt, gpio_keys unloaded' })
        const boot = await window.modlab.lab.boot({ ...virt, sessionId: session.id })
        await window.modlab.lab.shell({ bootId: boot.bootId, command: 'rmmod gpio_keys' })
      }
      const broken = await window.modlab.sessions.create({ name: 'virt, rtc fails' })
      await window.modlab.lab.boot({
        ...virt,
        sessionId: broken.id,
        faults: ['rtc-pl031:fail:EIO'],
      })
      await window.modlab.lab.boot({ ...virt, sessionId: broken.id })
    },
    { virt: VIRT, healthy },
  )
  await page.reload()
}

test('two sessions compared side by side (light and dark)', async ({ modlab, page }) => {
  test.setTimeout(60_000) // three boots recorded, then their sessions compared, on a loaded machine
  await modlab.open('sessions')
  await recordSessions(page, true)
  await expect(modlab.sessionRows()).toHaveCount(2)
  const compare = page.getByRole('button', { name: 'Compare', exact: true })
  await expect(compare).toBeDisabled()
  await page.getByLabel('Compare virt, gpio_keys unloaded').check()
  await page.getByLabel('Compare virt, rtc fails').check()
  await expect(page.getByTestId('compare-bar')).toContainText('picked')
  await page.screenshot({ path: join(SCREENS_DIR, 'compare-picks-light.png') })
  await compare.click()

  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    /Session “virt, gpio_keys unloaded” \(#\d+\) ↔ “virt, rtc fails” \(#\d+\)/,
  )
  // The second session's extra boot and the first one's rmmod are the actions that differ.
  const actions = page.getByTestId('compare-actions')
  await expect(actions).toContainText('shell: rmmod gpio_keys')
  await expect(actions).toContainText(
    'boot qemu-virt on debian-6.1-arm64, fault rtc-pl031:fail:EIO',
  )
  await expect(page.getByTestId('compare-unpaired')).toContainText(
    '“virt, rtc fails” (#2) has 2 boots and the other 1: boots are compared in order',
  )
  const boot = page.getByTestId('compare-boot')
  await expect(boot).toHaveCount(1)
  await expect(boot).toHaveAttribute('data-identical', 'false')
  const split = boot.getByTestId('dmesg-split')
  await expect(split.locator('.del[data-side="left"]')).toContainText([
    /rtc-pl031 9010000.pl031: registered as rtc0/,
  ])
  await expect(split.locator('.add[data-side="right"]')).toContainText([
    /rtc-pl031: probe of 9010000.pl031 failed with error -5/,
  ])
  await expect(split).not.toContainText(/\[\s+\d+\.\d{6}\]/) // timestamps set aside
  await expect(boot.locator('[data-device="9010000.pl031"]')).toContainText('bound')
  await expect(boot.locator('[data-device="9010000.pl031"]')).toContainText('failed')
  await expect(boot.locator('[data-module="gpio_keys"]')).toContainText('not loaded')
  await expect(boot.locator('[data-module="gpio_keys"] td').nth(2)).toHaveText('loaded')

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    await page.screenshot({ path: join(SCREENS_DIR, `compare-sessions-${scheme}.png`) })
  }

  await boot.getByRole('button', { name: 'Unified' }).click()
  await expect(boot.getByTestId('dmesg-unified')).toContainText(
    '+rtc-pl031: probe of 9010000.pl031 failed with error -5',
  )
})

test('two boots of one session compared: the fault is the only difference', async ({
  modlab,
  page,
}) => {
  test.setTimeout(60_000) // two boots recorded, then compared, on a loaded machine
  await modlab.open('sessions')
  await recordSessions(page, false)
  await expect(modlab.sessionRows()).toHaveCount(1)
  await modlab.sessionRow('virt, rtc fails').getByRole('button', { name: 'Actions' }).click()
  const sessionActions = page.getByTestId('session-actions')
  await expect(sessionActions.locator('li')).toHaveCount(2)
  const compareBoots = sessionActions.getByRole('button', { name: 'Compare boots' })
  await expect(compareBoots).toBeDisabled()
  for (const box of await sessionActions.getByRole('checkbox').all()) await box.check()
  await compareBoots.click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Boot #\d+ ↔ boot #\d+/)
  await expect(page.getByTestId('compare-actions')).toHaveCount(0)
  const boots = page.getByTestId('compare-boot')
  await expect(boots.locator('[data-device="9010000.pl031"] td').nth(1)).toHaveText(/failed/)
  await expect(boots.locator('[data-device="9010000.pl031"] td').nth(2)).toHaveText(/bound/)
  await expect(boots.getByTestId('compare-modules')).toHaveCount(0)
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    await page.screenshot({ path: join(SCREENS_DIR, `compare-boots-${scheme}.png`) })
  }
})

test('a compare address naming a session that does not exist says so', async ({ modlab, page }) => {
  await page.goto(`${modlab.baseUrl}#/sessions/compare?a=41&b=42`)
  await expect(modlab.errorBanner()).toContainText('no session with id 41')
  await page.goto(`${modlab.baseUrl}#/sessions/compare`)
  await expect(modlab.errorBanner()).toContainText('Pick two sessions')
})
