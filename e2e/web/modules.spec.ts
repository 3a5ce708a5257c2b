import { join } from 'node:path'
import { expect, test } from '../support/fixtures'
const SCREENS_DIR = join(__dirname, '..', '..', '.test-reports', 'screens')

test('the modules panel unloads and loads modules, showing what the kernel printed', async ({
  modlab,
  page,
}) => {
  await modlab.open('lab')
  await modlab.boot({ cmdline: 'console=ttyAMA0 initcall_debug' })
  await expect(page.getByTestId('boot-status')).toContainText('running')
  await page.getByRole('tab', { name: 'Modules' }).click()
  const table = page.getByTestId('lsmod-table')
  // udev's coldplug loaded what the virt board's devices need.
  await expect(table.locator('[data-module]')).toHaveCount(3)
  await expect(table.locator('[data-module="virtio_mmio"]')).toContainText('20 KiB')

  await table.locator('[data-module="virtio_mmio"]').getByRole('button', { name: 'Unload' }).click()
  await expect(table.locator('[data-module="virtio_mmio"]')).toHaveCount(0)
  await expect(page.getByTestId('last-action')).toContainText('# rmmod virtio_mmio')

  // Thousands of modules: the list shows the first, and says how many more the search would find.
  await expect(page.getByTestId('more-modules')).toContainText('more: narrow the search')
  await page.getByLabel('Search modules').fill('virtio')
  await page.locator('[data-available="virtio_mmio"]').getByRole('button', { name: 'Load' }).click()
  await expect(table.locator('[data-module="virtio_mmio"]')).toBeVisible()
  const last = page.getByTestId('last-action')
  await expect(last).toContainText('# modprobe virtio_mmio')
  await expect(last).toContainText('calling  virtio_mmio_init+0x0/0x')
  await page.screenshot({ path: join(SCREENS_DIR, 'lab-modules.png') })
})

test('the kernel shell runs kmod commands with history and completion', async ({
  modlab,
  page,
}) => {
  await modlab.open('lab')
  await modlab.boot()
  await expect(page.getByTestId('boot-status')).toContainText('running')
  const input = page.getByLabel('Shell command')
  const output = page.getByTestId('shell-output')
  await input.fill('rmmod gpio_')
  await input.press('Tab')
  await expect(input).toHaveValue('rmmod gpio_keys ')
  await input.press('Enter')
  await input.fill('lsmod')
  await input.press('Enter')
  await expect(output).toContainText('Module                  Size  Used by')
  await expect(output).not.toContainText(/^gpio_keys/m)
  await input.fill('modprobe nope')
  await input.press('Enter')
  await expect(output).toContainText(
    'modprobe: FATAL: Module nope not found in directory /lib/modules/6.1.0-56-arm64',
  )
  await input.press('ArrowUp')
  await expect(input).toHaveValue('modprobe nope')
  await input.fill('cat /proc/modules')
  await input.press('Enter')
  await expect(output).toContainText('virtio_mmio 20480 0 - Live 0x0000000000000000')
  // After a pipe, Tab completes a command again.
  await input.fill('cat /proc/modules | w')
  await input.press('Tab')
  await expect(input).toHaveValue('cat /proc/modules | wc ')
  await input.fill('cat /proc/modules | grep -c virtio_mmio')
  await input.press('Enter')
  await expect(output.locator('.prompt').last()).toHaveText(
    '# cat /proc/modules | grep -c virtio_mmio',
  )
  await expect(output.locator('pre.out').last()).toHaveText('1')
  await page.getByRole('tab', { name: 'Modules' }).click()
  await expect(page.getByTestId('lsmod-table').locator('[data-module]')).toHaveCount(2)
  await page.screenshot({ path: join(SCREENS_DIR, 'lab-shell.png') })
})

test('Tab right after a boot completes from the modules the boot loaded, once they arrive', async ({
  modlab,
  page,
}) => {
  // Hold back the web host's answer to the new boot's module list, as a loaded machine would.
  let release = () => {}
  const held = new Promise<void>((resolve) => (release = resolve))
  await page.routeWebSocket(/\/api\?token=/, (ws) => {
    const server = ws.connectToServer()
    const heldIds = new Set<number>()
    ws.onMessage((message) => {
      const frame = JSON.parse(String(message)) as { id: number; channel: string }
      if (frame.channel === 'lab:modules') heldIds.add(frame.id)
      server.send(message)
    })
    server.onMessage((message) => {
      const frame = JSON.parse(String(message)) as { id?: number }
      if (frame.id !== undefined && heldIds.has(frame.id)) void held.then(() => ws.send(message))
      else ws.send(message)
    })
  })
  await modlab.open('lab')
  await modlab.boot()
  await expect(page.getByTestId('boot-status')).toContainText('running')
  const input = page.getByLabel('Shell command')
  await input.fill('rmmod gpio_')
  await input.press('Tab')
  await expect(input).toHaveValue('rmmod gpio_')
  release()
  await expect(input).toHaveValue('rmmod gpio_keys ')
})
