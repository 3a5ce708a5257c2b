import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, test } from '../support/fixtures'

// Debian's linux-image-6.12 modules tree (fetched by .ci/run into .cache/kernels).
const RELEASE = '6.12.117+deb12-arm64'
const BUILD = join(__dirname, '..', '..', '.cache', 'kernels', RELEASE)
const REAL_TREE = join(BUILD, 'lib', 'modules', RELEASE)
// Six real modules and their Kconfig symbols: importing all 4,351 takes too long for an end-to-end test.
const MODULES: Record<string, string> = {
  'kernel/lib/crc16.ko': 'CONFIG_CRC16',
  'kernel/lib/crc-itu-t.ko': 'CONFIG_CRC_ITU_T',
  'kernel/lib/crc7.ko': 'CONFIG_CRC7',
  'kernel/drivers/virtio/virtio_balloon.ko': 'CONFIG_VIRTIO_BALLOON',
  'kernel/drivers/virtio/virtio_input.ko': 'CONFIG_VIRTIO_INPUT',
  'kernel/drivers/char/hw_random/virtio-rng.ko': 'CONFIG_HW_RANDOM_VIRTIO',
}
const SCREENS_DIR = join(__dirname, '..', '..', '.test-reports', 'screens')

let scratch = ''

/**
 * A small `/lib/modules/<release>` folder: real `.ko.xz` files, the real modules.order filtered to
 * them, the real modules.builtin; and the real config with only their `=m` lines kept.
 */
function smallBuild(): { tree: string; config: string } {
  const root = join(scratch, 'lib', 'modules', RELEASE)
  for (const module of Object.keys(MODULES)) {
    mkdirSync(dirname(join(root, module)), { recursive: true })
    copyFileSync(join(REAL_TREE, `${module}.xz`), join(root, `${module}.xz`))
  }
  const order = readFileSync(join(REAL_TREE, 'modules.order'), 'utf8')
    .split('\n')
    .filter((line) => line in MODULES)
  writeFileSync(join(root, 'modules.order'), `${order.join('\n')}\n`)
  for (const file of ['modules.builtin', 'modules.builtin.modinfo'])
    copyFileSync(join(REAL_TREE, file), join(root, file))
  const symbols = new Set(Object.values(MODULES))
  const config = join(scratch, `config-${RELEASE}`)
  writeFileSync(
    config,
    readFileSync(join(BUILD, 'config'), 'utf8')
      .split('\n')
      .filter((line) => !line.endsWith('=m') || symbols.has(line.slice(0, -2)))
      .join('\n'),
  )
  return { tree: root, config }
}

test.beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'modlab-e2e-kernels-'))
})
test.afterAll(() => rmSync(scratch, { recursive: true, force: true }))

async function openKernels(page: Page, baseUrl: string) {
  await page.goto(`${baseUrl}#/kernels`)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kernel profiles')
  // The first kernels:list reads the 6.12 catalog: slow when the machine is busy.
  await expect(page.getByTestId('kernels-table')).toBeVisible({ timeout: 30_000 })
}

const row = (page: Page, id: string) => page.locator(`tr[data-kernel="${id}"]`)

test('a real modules tree imports, is listed, boots in the Lab and deletes', async ({
  modlab,
  page,
  webHost,
}) => {
  test.skip(!existsSync(join(BUILD, 'config')), `${BUILD} is not fetched (.ci/run fetches it)`)
  test.setTimeout(180_000)
  const { tree, config } = smallBuild()
  const builtin = readFileSync(join(tree, 'modules.builtin'), 'utf8').trim().split('\n').length

  await openKernels(page, webHost.url)
  await expect(row(page, 'debian-6.12-arm64')).toContainText('built-in')
  await expect(row(page, 'debian-6.12-arm64').getByRole('button')).toHaveCount(0)

  await page.getByRole('button', { name: 'Import kernel build…' }).click()
  const form = page.getByTestId('kernel-import')
  await expect(form.getByRole('button', { name: 'Import' })).toBeDisabled()
  await form.getByLabel('Path').fill(tree)
  await form.getByLabel('Name').fill('Six real modules')
  await form.getByLabel('Kernel config').fill(config)
  await form.getByLabel('Module.symvers').fill(join(BUILD, 'Module.symvers'))
  await form.getByRole('button', { name: 'Import' }).click()
  // Reading a build takes a while: the form says so and cannot be sent twice.
  await expect(form.getByRole('button', { name: 'Importing…' })).toBeDisabled()
  await expect(form.getByTestId('kernel-import-busy')).toContainText(/Reading the build… \d+ s/)
  await page.screenshot({ path: join(SCREENS_DIR, 'kernels-importing-light.png') })

  const result = page.getByTestId('kernel-import-result')
  await expect(result).toBeVisible({ timeout: 120_000 })
  await expect(result).toContainText('Imported Six real modules')
  await expect(result.getByTestId('imported-modules')).toHaveText('6 loadable')
  await expect(result).toContainText(builtin.toLocaleString('en-US'))
  await expect(result).toContainText('debian-6.12-arm64')
  const exports = readFileSync(join(BUILD, 'Module.symvers'), 'utf8')
    .split('\n')
    .filter((line) => line.split('\t')[2] === 'vmlinux').length
  await expect(result.getByTestId('imported-exports')).toHaveText(exports.toLocaleString('en-US'))
  await expect(form).toHaveCount(0)

  const imported = row(page, 'six-real-modules')
  await expect(imported).toContainText('imported')
  await expect(imported).toContainText(RELEASE)
  await expect(imported.getByTestId('kernel-modules')).toHaveText('6')

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    await page.screenshot({ path: join(SCREENS_DIR, `kernels-${scheme}.png`), fullPage: true })
  }
  await page.emulateMedia({ colorScheme: 'light' })

  // The Lab lists it, and "Boot it in the Lab" chooses it.
  await result.getByRole('button', { name: 'Boot it in the Lab' }).click()
  const kernelSelect = page.getByLabel('Kernel profile')
  await expect(kernelSelect).toHaveValue('six-real-modules', { timeout: 30_000 })
  await expect(kernelSelect.locator('option')).toContainText([
    'Debian 6.1 arm64',
    'Debian 6.12 arm64',
    'Six real modules',
  ])
  await modlab.boot()
  await expect(page.getByTestId('boot-status')).toContainText('running', { timeout: 60_000 })
  await page.getByLabel('Filter text').fill('Linux version')
  await expect(modlab.consoleLines().first()).toContainText(`Linux version ${RELEASE}`)

  // Deleting it takes it out of the list and out of the Lab.
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Kernels' })
    .click()
  await row(page, 'six-real-modules').getByRole('button', { name: 'Delete' }).click()
  await row(page, 'six-real-modules').getByRole('button', { name: 'Keep' }).click()
  await expect(row(page, 'six-real-modules')).toBeVisible()
  await row(page, 'six-real-modules').getByRole('button', { name: 'Delete' }).click()
  await row(page, 'six-real-modules').getByRole('button', { name: 'Delete' }).click()
  await expect(row(page, 'six-real-modules')).toHaveCount(0, { timeout: 30_000 })
  await modlab.navigate('Lab')
  await expect(kernelSelect.locator('option')).toHaveCount(2, { timeout: 30_000 })
  await expect(kernelSelect).not.toHaveValue('six-real-modules')
})

test('a folder that is not a modules tree, or unreadable modules, show why without breaking the page', async ({
  page,
  webHost,
}) => {
  test.setTimeout(60_000)
  const notATree = join(scratch, 'not-a-tree')
  mkdirSync(notATree, { recursive: true })
  writeFileSync(join(notATree, 'README'), 'no modules here\n')
  const broken = join(scratch, 'broken', 'kernel', 'drivers')
  mkdirSync(broken, { recursive: true })
  writeFileSync(join(broken, 'first.ko'), 'not an ELF file\n')
  writeFileSync(join(broken, 'second.ko'), 'nor this\n')

  await openKernels(page, webHost.url)
  await page.getByRole('button', { name: 'Import kernel build…' }).click()
  const form = page.getByTestId('kernel-import')
  const error = form.getByTestId('kernel-import-error')

  await form.getByLabel('Path').fill(notATree)
  await form.getByRole('button', { name: 'Import' }).click()
  await expect(error).toContainText(`${notATree}: not a modules tree`, { timeout: 30_000 })

  await form.getByLabel('Path').fill(join(scratch, 'broken'))
  await form.getByRole('button', { name: 'Import' }).click()
  await expect(error).toContainText("2 of the tree's module files cannot be read", {
    timeout: 30_000,
  })
  // One line per file.
  await expect(error.locator('li')).toHaveText([
    'kernel/drivers/first.ko: not an ELF file',
    'kernel/drivers/second.ko: not an ELF file',
  ])
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    await page.screenshot({ path: join(SCREENS_DIR, `kernels-error-${scheme}.png`) })
  }

  await form.getByLabel('Path').fill(join(scratch, 'nowhere'))
  await form.getByRole('button', { name: 'Import' }).click()
  await expect(error).toContainText('no such file or folder', { timeout: 30_000 })

  // Nothing was imported, and the page still works.
  await expect(page.getByTestId('kernels-table').locator('tbody tr')).toHaveCount(2)
  await form.getByRole('button', { name: 'Cancel' }).click()
  await expect(form).toHaveCount(0)
  await page.getByRole('button', { name: 'Import kernel build…' }).click()
  await expect(page.getByTestId('kernel-import-error')).toHaveCount(0)
})

test('each device shows the driver that matches it and its modalias', async ({
  modlab,
  page,
  webHost,
}) => {
  // The first kernels:list reads the 6.12 catalog: slow when the machine is busy.
  await page.goto(`${webHost.url}#/lab`)
  await expect(page.getByLabel('Kernel command line')).not.toHaveValue('', { timeout: 30_000 })
  await modlab.boot()
  await expect(page.getByTestId('boot-status')).toContainText('running')
  const device = (name: string) => page.locator(`[data-device="${name}"]`)
  await expect(device('9030000.pl061').getByTestId('device-match')).toHaveText(
    'pl061_gpio · built in',
  )
  await expect(device('9020000.fw-cfg').getByTestId('device-match')).toHaveText(
    'qemu_fw_cfg · module',
  )
  await page.getByLabel('Find device').fill('timer')
  await expect(device('timer').getByTestId('device-match')).toHaveText(
    'arch_timer · TIMER_OF_DECLARE',
  )

  await page.getByLabel('Find device').fill('qemu_fw_cfg')
  await expect(page.getByTestId('device-list').locator('[data-device]')).toHaveCount(1)
  await device('9020000.fw-cfg').click()
  const details = page.getByTestId('device-details')
  await expect(details.getByTestId('device-matched-by')).toHaveText(
    'qemu_fw_cfg · module (driver fw_cfg)',
  )
  await expect(details.getByTestId('device-modalias')).toHaveText(
    'of:Nfw-cfgT(null)Cqemu,fw-cfg-mmio',
  )
  await page.getByLabel('Find device').fill('pl061')
  await device('9030000.pl061').click()
  // A PrimeCell's uevent names its peripheral ID, not its compatible (drivers/amba/bus.c amba_uevent).
  await expect(details.getByTestId('device-modalias')).toHaveText('amba:d00041061')
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    await page.screenshot({ path: join(SCREENS_DIR, `devices-match-${scheme}.png`) })
  }
})
