import { join } from 'node:path'
import { expect, test } from '../support/fixtures'

const SCREENS_DIR = join(__dirname, '..', '..', '.test-reports', 'screens')

test('sessions are created, renamed and deleted, and survive a reload', async ({
  modlab,
  page,
}) => {
  await modlab.open('sessions')
  await expect(page.getByTestId('sessions-empty')).toBeVisible()

  await modlab.createSession('mtk-timer as a module')
  await modlab.createSession('arm-smmu deferral')
  expect(await modlab.sessionNames()).toEqual(['arm-smmu deferral', 'mtk-timer as a module'])

  await modlab.renameSession('arm-smmu deferral', 'arm-smmu: deferred_probe_timeout=30')
  await modlab.deleteSession('mtk-timer as a module')

  await page.reload()
  await expect(modlab.sessionRows()).toHaveCount(1)
  expect(await modlab.sessionNames()).toEqual(['arm-smmu: deferred_probe_timeout=30'])
})

test('a blank name cannot be submitted, and a delete can be called off', async ({
  modlab,
  page,
}) => {
  await modlab.open('sessions')
  await page.getByLabel('New session name').fill('   ')
  await expect(page.getByRole('button', { name: 'Create session' })).toBeDisabled()

  await modlab.createSession('keep me')
  const row = modlab.sessionRow('keep me')
  await row.getByRole('button', { name: 'Delete' }).click()
  await row.getByRole('button', { name: 'Keep' }).click()
  await page.reload()
  await expect(modlab.sessionRow('keep me')).toBeVisible()
})

test('a request the main process refuses shows its message, and the list is reloaded', async ({
  modlab,
  page,
}) => {
  await modlab.open('sessions')
  await modlab.createSession('gone elsewhere')
  // Another window deletes it behind this one's back.
  const id = await page.evaluate(async () => {
    const [session] = await window.modlab.sessions.list()
    await window.modlab.sessions.delete({ id: session!.id })
    return session!.id
  })
  const row = await modlab.pinnedSessionRow('gone elsewhere')
  await row.getByRole('button', { name: 'Rename' }).click()
  await row.getByLabel('New name').fill('too late')
  await row.getByRole('button', { name: 'Save' }).click()
  await expect(modlab.errorBanner()).toHaveText(new RegExp(`no session with id ${id}`))
  await expect(page.getByTestId('sessions-empty')).toBeVisible()
  await modlab.errorBanner().getByRole('button', { name: 'Dismiss' }).click()
  await expect(modlab.errorBanner()).toHaveCount(0)
})

test('boots go into the session the user chose; the Lab never starts one by itself', async ({
  modlab,
  page,
}) => {
  test.setTimeout(120_000) // three boots, on a loaded machine
  await modlab.open('sessions')
  const current = page.getByTestId('current-session')
  await expect(current).toContainText('no session chosen: boots wait for one')

  // Without a session the Lab says what to do, and records nothing; reloads start nothing.
  await modlab.open('lab')
  await modlab.boot({ session: 'new' })
  await expect(modlab.errorBanner()).toContainText(
    'No session is chosen: start one with “New session” in the sidebar',
  )
  await page.reload()
  await modlab.navigate('Sessions')
  await expect(page.getByTestId('sessions-empty')).toBeVisible()

  // "New session" in the sidebar starts one and makes it current.
  await current.getByRole('button', { name: 'New session' }).click()
  await expect(current.locator('.name')).toHaveText(/^Session \d{4}-/)
  const started = (await current.locator('.name').textContent()) ?? ''
  await modlab.navigate('Lab')
  await modlab.boot()
  await expect(page.getByTestId('boot-status')).toContainText(
    `boot #1 recorded in session “${started}”`,
  )
  await page.reload()
  await modlab.boot()
  await expect(page.getByTestId('boot-status')).toContainText('boot #2')

  // A session the user creates becomes current and receives the next boot.
  await modlab.navigate('Sessions')
  await modlab.createSession('rtc failure on virt')
  await expect(modlab.sessionRow('rtc failure on virt').getByTestId('current')).toBeVisible()
  await expect(current).toContainText('rtc failure on virt')
  await modlab.navigate('Lab')
  await modlab.boot({ faults: 'rtc-pl031:fail:EIO' })
  await expect(page.getByTestId('boot-status')).toContainText(
    'boot #3 recorded in session “rtc failure on virt”',
  )
  await modlab.navigate('Sessions')
  await expect(modlab.sessionRows()).toHaveCount(2)
  await expect(modlab.sessionRow('rtc failure on virt').getByTestId('boots')).toHaveText('1')
  await expect(modlab.sessionRow(started).getByTestId('boots')).toHaveText('2')

  // Any session can be chosen again.
  await modlab.sessionRow(started).getByRole('button', { name: 'Boot into this' }).click()
  await expect(current).toContainText(started)
  await page.screenshot({ path: join(SCREENS_DIR, 'sessions-current.png') })
})
