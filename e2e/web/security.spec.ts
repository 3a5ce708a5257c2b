import { request as httpRequest } from 'node:http'
import { WebSocket } from 'ws'
import { API_CHANNELS } from '../../src-main/api/channels'
import { expect, test } from '../support/fixtures'

test('window.modlab is frozen, has exactly the contract keys, and no Node reaches the page', async ({
  modlab,
  page,
}) => {
  await modlab.open('profiles')
  const shape = await page.evaluate(() => {
    const api = window.modlab as unknown as Record<string, Record<string, unknown>>
    const descriptor = Object.getOwnPropertyDescriptor(window, 'modlab')
    return {
      frozen: Object.isFrozen(api) && Object.values(api).every((domain) => Object.isFrozen(domain)),
      replaceable: descriptor?.writable || descriptor?.configurable,
      channels: Object.entries(api).flatMap(([domain, methods]) =>
        Object.keys(methods).map((verb) => `${domain}:${verb}`),
      ),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }
  })
  expect(shape.frozen).toBe(true)
  expect(shape.replaceable).toBeFalsy()
  expect(shape.channels.sort()).toEqual([...API_CHANNELS].sort())
  expect(shape.require).toBe('undefined')
  expect(shape.process).toBe('undefined')
})

test('the page carries a strict Content-Security-Policy that blocks inline script', async ({
  page,
  webHost,
}) => {
  const response = await page.goto(webHost.url)
  const header = response?.headers()['content-security-policy'] ?? ''
  expect(header).toContain("default-src 'none'")
  expect(header).toContain("script-src 'self'")
  expect(header).toContain("frame-ancestors 'none'")
  expect(header).not.toContain('unsafe')
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveCount(1)
  const outcome = await page.evaluate(
    () =>
      new Promise((resolve) => {
        document.addEventListener('securitypolicyviolation', (event) =>
          resolve(event.violatedDirective),
        )
        const script = document.createElement('script')
        script.textContent = 'document.title = "injected"'
        document.head.append(script)
        setTimeout(() => resolve(document.title), 1000)
      }),
  )
  expect(outcome).toBe('script-src-elem')
})

test('invalid and unknown requests come back as {code, message}', async ({ modlab, page }) => {
  await modlab.open('sessions')
  const invalid = await page.evaluate(() =>
    window.modlab.sessions.create({ name: '' }).catch((error) => error),
  )
  expect(invalid).toEqual({
    code: 'invalid-request',
    message: 'sessions:create: name: a session name must not be empty',
  })
  const extra = await page.evaluate(() =>
    window.modlab.sessions
      .delete({ id: 1, force: true } as unknown as { id: number })
      .catch((error) => error),
  )
  expect(extra).toEqual({
    code: 'invalid-request',
    message: 'sessions:delete: unexpected field force',
  })
  const unknown = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const socket = new window.WebSocket(`ws://${location.host}/api${location.search}`)
        socket.onopen = () =>
          socket.send(
            JSON.stringify({ id: 7, channel: 'fs:read', request: { path: '/etc/passwd' } }),
          )
        socket.onmessage = (event) => resolve(JSON.parse(String(event.data)))
      }),
  )
  expect(unknown).toMatchObject({
    id: 7,
    result: { ok: false, error: { code: 'unknown-channel' } },
  })
})

test('the web host serves loopback only and refuses other origins and host names', async ({
  webHost,
}) => {
  const url = new URL(webHost.url)
  expect(url.hostname).toBe('127.0.0.1')
  const wsUrl = `ws://${url.host}/api${url.search}`

  const refusal = (origin?: string) =>
    new Promise<number>((resolve) => {
      const socket = new WebSocket(wsUrl, origin ? { origin } : {})
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0))
      socket.on('open', () => {
        socket.close()
        resolve(101)
      })
    })
  expect(await refusal('http://evil.example')).toBe(401)
  expect(await refusal()).toBe(401)
  expect(await refusal(`http://${url.host}`)).toBe(101)

  const status = await new Promise<number>((resolve, reject) => {
    const request = httpRequest(
      { host: url.hostname, port: url.port, path: '/', headers: { host: 'rebound.example' } },
      (response) => {
        response.resume()
        resolve(response.statusCode ?? 0)
      },
    )
    request.on('error', reject)
    request.end()
  })
  expect(status).toBe(421)
})
