import { WebSocket } from 'ws'
import { sparseFile } from '../../tests/hostile/corpus'
import { expect, test } from '../support/fixtures'

/** Sends one raw frame to the host's API, as another local process could, and waits for the close. */
function closeCodeAfter(hostUrl: string, data: Buffer): Promise<number> {
  const url = new URL(hostUrl)
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://${url.host}/api${url.search}`, { origin: url.origin })
    socket.on('error', () => {})
    socket.once('unexpected-response', () => reject(new Error('refused')))
    socket.once('open', () => socket.send(data, { binary: false }))
    socket.once('close', (code) => resolve(code))
  })
}

test('an over-size .dtb is refused in the Profiles view before it is sent, limit named', async ({
  modlab,
  page,
}, testInfo) => {
  const huge = sparseFile(testInfo.outputPath('huge.dtb'), 25 * 1024 * 1024)
  await modlab.open('profiles')
  const rows = page.getByTestId('profiles-table').locator('tbody tr')
  const before = await rows.count()
  await page.getByLabel('Import a devicetree blob').setInputFiles(huge)
  await expect(modlab.errorBanner()).toContainText(
    'huge.dtb is 25 MiB; modlab imports devicetree blobs of at most 24 MiB',
  )
  await expect(rows).toHaveCount(before)
})

test('hostile frames close only their own connection; the app keeps working', async ({
  modlab,
  page,
  webHost,
}) => {
  await modlab.open('sessions')
  expect(await closeCodeAfter(webHost.url, Buffer.alloc(41 * 1024 * 1024, 0x20))).toBe(1009)
  expect(await closeCodeAfter(webHost.url, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))).toBe(1007)
  const created = await page.evaluate(() =>
    window.modlab.sessions.create({ name: 'still here' }).then((session) => session.name),
  )
  expect(created).toBe('still here')
})

test('without the launch token there is no page and no API', async ({ page, webHost }) => {
  const url = new URL(webHost.url)
  const response = await page.goto(url.origin + '/')
  expect(response?.status()).toBe(403)
  await expect(page.locator('body')).toContainText('open the URL the web host printed')
  const refused = await page.evaluate(
    (host) =>
      new Promise<string>((resolve) => {
        const socket = new window.WebSocket(`ws://${host}/api`)
        socket.onopen = () => resolve('open')
        socket.onerror = () => resolve('refused')
      }),
    url.host,
  )
  expect(refused).toBe('refused')
})
