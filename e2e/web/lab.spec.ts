import { expect, test } from '../support/fixtures'

test('booting QEMU virt shows the kernel log arrive, paced by simulated time', async ({
  modlab,
  page,
}) => {
  await modlab.open('lab')
  await expect(page.getByLabel('Kernel command line')).toHaveValue('console=ttyAMA0')
  await modlab.boot({ pace: '0.1×' })
  const status = page.getByTestId('boot-status')
  await expect(status).toContainText('booting')
  // At 0.1x the 2-second boot takes twenty real seconds: the line count grows while it runs.
  const early = await modlab.lineCount()
  await expect.poll(() => modlab.lineCount(), { timeout: 10_000 }).toBeGreaterThan(early)
  await page.getByLabel('Pace').selectOption('instant')
  await expect(status).toContainText('running')
  await expect(status).toContainText('/init is running')
  await expect(modlab.consoleLines().filter({ hasText: 'Run /init as init process' })).toBeVisible()
  await page.getByLabel('Filter text').fill('Booting Linux')
  await expect(modlab.consoleLines()).toHaveText([
    '[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x411fd070]',
  ])
})

test('the console filters by text and level, and toggles timestamps', async ({ modlab, page }) => {
  await modlab.open('lab')
  await modlab.boot()
  await expect(page.getByTestId('boot-status')).toContainText('running')
  expect(await modlab.lineCount()).toBeGreaterThan(200)
  await page.getByLabel('Filter text').fill('pl0')
  await expect.poll(() => modlab.lineCount()).toBeLessThan(10)
  await expect(modlab.consoleLines().first()).toContainText(/pl0/i)
  await page.getByLabel('Filter text').fill('')
  await page.getByLabel('Highest level shown').selectOption({ index: 5 })
  await expect(modlab.consoleLines().first()).toContainText('Linux version 6.1.0-56-arm64')
  await page.getByText('Timestamps').click()
  await expect(modlab.consoleLines().first()).toHaveText(/^Linux version/)
})

test('a device held in deferral shows its reason in the devices panel', async ({
  modlab,
  page,
}) => {
  await modlab.open('lab')
  await modlab.boot({ faults: 'pl061_gpio:defer:1000' })
  await expect(page.getByTestId('boot-status')).toContainText('running')
  await page.getByLabel('Filter text').fill('deferred probe pending')
  await expect(modlab.consoleLines()).toHaveCount(1)
  await expect(modlab.consoleLines().first()).toContainText(
    'amba 9030000.pl061: deferred probe pending',
  )

  await page
    .getByRole('group', { name: 'Filter by state' })
    .getByRole('button', { name: /deferred/ })
    .click()
  await expect(page.getByTestId('device-list').locator('[data-device]')).toHaveCount(1)
  await page.locator('[data-device="9030000.pl061"]').click()
  const details = page.getByTestId('device-details')
  await expect(details).toContainText('pl061_gpio: injected deferral')
  await expect(details).toContainText('/pl061@9030000')
  // gpio-keys names the GPIO controller only in its child node: a sync-state-only link, which never blocks.
  // The list is virtualized: a device out of view is found the way a user finds it.
  await page.getByLabel('Find device').fill('gpio-keys')
  await page.locator('[data-device="gpio-keys"]').click()
  await expect(details.locator('h3')).toHaveText('gpio-keys')
  // Its driver is a module (CONFIG_KEYBOARD_GPIO=m): udev's coldplug loaded gpio_keys at init.
  await expect(details).toContainText('bound to gpio-keys')
})

test('a malformed fault is refused with a message, and boots are recorded in a session', async ({
  modlab,
  page,
}) => {
  await modlab.open('lab')
  await modlab.boot({ faults: 'pl061_gpio:explode' })
  await expect(modlab.errorBanner()).toContainText(
    'fault "pl061_gpio:explode": expected DRIVER:fail:ERRNO',
  )
  await modlab.errorBanner().getByRole('button', { name: 'Dismiss' }).click()
  await modlab.boot({ faults: '' })
  await expect(page.getByTestId('boot-status')).toContainText('boot #1 recorded in session')
  await modlab.boot({ cmdline: 'console=ttyAMA0 quiet' })
  await expect(page.getByTestId('boot-status')).toContainText('boot #2')
  await modlab.navigate('Sessions')
  await expect(modlab.sessionRows()).toHaveCount(1)
  await expect(modlab.sessionRows().first().getByTestId('boots')).toHaveText('2')
})

test('the devices panel follows the boot as it is shown', async ({ modlab, page }) => {
  // The page's clock is the test's: the boot is shown exactly as far as the test lets time run,
  // however slowly a loaded machine draws its frames.
  await page.clock.install()
  await modlab.open('lab')
  await page.clock.pauseAt(Date.now() + 1000)
  await modlab.boot({ pace: '0.1×' })
  const states = page.getByRole('group', { name: 'Filter by state' })
  const all = states.getByRole('button', { name: /^All/ })
  await expect(page.getByTestId('boot-status')).toContainText('booting')
  await expect(all).toHaveText(/All\s+0/)
  // Devices are created at arch_initcall_sync, 0.32 s into the boot: 3.2 s away at 0.1x.
  await page.clock.runFor(3000)
  await expect(all).toHaveText(/All\s+0/)
  await page.clock.runFor(500)
  await expect(all).toHaveText(/All\s+43/)
  await expect(page.getByTestId('boot-status')).toContainText('booting')
  await page.clock.resume()
  await page.getByLabel('Pace').selectOption('instant')
  await expect(page.getByTestId('boot-status')).toContainText('running')
  await expect(all).toHaveText(/All\s+43/)
})
