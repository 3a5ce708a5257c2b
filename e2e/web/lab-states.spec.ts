import { join } from 'node:path'
import { expect, test } from '../support/fixtures'

const SCREENS_DIR = join(__dirname, '..', '..', '.test-reports', 'screens')

test('an empty Lab says what to do and boots a ready what-if example', async ({ modlab, page }) => {
  await modlab.open('lab')
  await expect(page.getByTestId('devices-empty')).toHaveText(/Boot a board to see its devices/)
  const welcome = page.getByTestId('lab-welcome')
  await expect(welcome).toContainText('What if the RTC failed to probe?')
  await page.screenshot({ path: join(SCREENS_DIR, 'lab-welcome.png') })
  await modlab.ensureSession() // the example's boot is recorded in the session the user started
  await welcome
    .getByRole('listitem')
    .filter({ hasText: 'What if the RTC failed to probe?' })
    .getByRole('button', { name: 'Try it' })
    .click()
  // The kernel boots on the host's worker, as modlab.boot() waits for it.
  await expect(page.getByTestId('boot-status')).toContainText('running', { timeout: 25_000 })
  await expect(page.getByLabel('Injected faults')).toHaveValue('rtc-pl031:fail:EIO')
  const states = page.getByRole('group', { name: 'Filter by state' })
  await states.getByRole('button', { name: /failed/ }).click()
  await expect(states.getByRole('button', { name: /failed/ })).toHaveText(/failed\s+1/)
  await page.locator('[data-device="9010000.pl031"]').click()
  await expect(page.getByTestId('device-details')).toContainText('probe failed with error -5')
})

test('devices show their state after the boot: late binds, rmmod, the arch timer', async ({
  modlab,
  page,
}) => {
  await modlab.open('lab')
  await page.getByLabel('Device profile').selectOption('rpi4b')
  await modlab.boot()
  await expect(page.getByTestId('boot-status')).toContainText('running')
  // The PL011 binds once the interrupt controller's driver is in, after the last line of the boot.
  await page.getByLabel('Find device').fill('fe201000')
  await expect(page.locator('[data-device="fe201000.serial"] .badge')).toHaveText('bound')

  await page.getByLabel('Device profile').selectOption('qemu-virt')
  await modlab.boot()
  await expect(page.getByTestId('boot-status')).toContainText('boot #2')
  await page.getByLabel('Find device').fill('timer')
  await expect(page.locator('[data-device="timer"] .badge')).toHaveText('of_declare')
  await page.locator('[data-device="timer"]').click()
  const details = page.getByTestId('device-details')
  await expect(details).toContainText('initialised by arch_timer (TIMER_OF_DECLARE)')

  await page.getByLabel('Find device').fill('gpio-keys')
  await expect(page.locator('[data-device="gpio-keys"] .badge')).toHaveText('bound')
  await page.getByLabel('Shell command').fill('rmmod gpio_keys')
  await page.getByLabel('Shell command').press('Enter')
  await expect(page.locator('[data-device="gpio-keys"] .badge')).toHaveText('no driver')
})

test('leaving the Lab during a boot and coming back, the boot carries on', async ({
  modlab,
  page,
}) => {
  // The page's clock is the test's, so that the 20 s a 0.1x boot is shown for cannot run out
  // while a loaded machine takes its time over the steps.
  await page.clock.install()
  await modlab.open('lab')
  await page.clock.pauseAt(Date.now() + 1000)
  // initcall_debug: more lines than come with the boot's reply, so that main streams the rest.
  await modlab.boot({ pace: '0.1×', cmdline: 'console=ttyAMA0 initcall_debug' })
  await expect(page.getByTestId('boot-status')).toContainText('booting')
  await page.clock.runFor(2000)
  await modlab.navigate('Profiles')
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
  await modlab.navigate('Lab')
  await expect(page.getByTestId('boot-status')).toContainText('booting')
  // The on-screen clock moves on from where it was left.
  const clock = async () =>
    Number(/t = ([\d.]+) s/.exec((await page.getByTestId('boot-status').textContent()) ?? '')?.[1])
  const before = await clock()
  expect(before).toBeGreaterThan(0)
  await page.clock.runFor(2000)
  await expect.poll(clock).toBeGreaterThan(before)
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    await page.screenshot({ path: join(SCREENS_DIR, `lab-mid-boot-${scheme}.png`) })
  }
  await page.clock.resume()
  await page.getByLabel('Pace').selectOption('instant')
  await expect(page.getByTestId('boot-status')).toContainText('running')
  const recorded = await page.evaluate(async () => {
    const [session] = await window.modlab.sessions.list()
    const events = await window.modlab.sessions.events({ id: session!.id })
    return (events.at(-1)?.result as { records: number }).records
  })
  expect(recorded).toBeGreaterThan(2000)
  await expect(page.getByTestId('line-count')).toHaveText(new RegExp(`/ ${recorded} lines$`))
})

test('while the kernel waits for the deferred probe timeout, the Lab says for what', async ({
  modlab,
  page,
}) => {
  await page.clock.install()
  await modlab.open('lab')
  await page.clock.pauseAt(Date.now() + 1000)
  // At 1x the boot reaches init after 1.9 s; then nothing is printed for ten seconds (the modules
  // coldplug loads push the timeout back: deferred_probe_extend_timeout()).
  await modlab.boot({ pace: '1×', faults: 'pl061_gpio:defer:1000' })
  const quiet = page.getByTestId('quiet')
  await page.clock.runFor(3000)
  await expect(quiet).toContainText('Nothing to print until 11.915 s')
  await page.getByRole('button', { name: 'Pause' }).click()
  await expect(quiet).toContainText('9030000.pl061: pl061_gpio: injected deferral')
  await page.screenshot({ path: join(SCREENS_DIR, 'lab-waiting.png') })
  await page.clock.resume()
  await page.getByLabel('Pace').selectOption('instant')
  await expect(quiet).toHaveCount(0)
})

test('a fault on a driver the kernel lacks is refused; module loads reach the console', async ({
  modlab,
  page,
}) => {
  await modlab.open('lab')
  await modlab.boot({ faults: 'acme-thermal:fail:ENODEV' })
  await expect(modlab.errorBanner()).toHaveText(
    /fault on "acme-thermal": the kernel debian-6.1-arm64 has no driver or module of that name/,
  )
  await modlab.errorBanner().getByRole('button', { name: 'Dismiss' }).click()
  await modlab.boot({ faults: '', cmdline: 'console=ttyAMA0 initcall_debug' })
  await expect(page.getByTestId('boot-status')).toContainText('running')
  await page.getByLabel('Shell command').fill('rmmod virtio_mmio; modprobe virtio_mmio')
  await page.getByLabel('Shell command').press('Enter')
  await page.getByLabel('Filter text').fill('virtio_mmio_init')
  // Once from udev's coldplug during the boot, once from the shell's modprobe.
  await expect(modlab.consoleLines().filter({ hasText: 'calling  virtio_mmio_init' })).toHaveCount(
    2,
  )
})
