import { request as httpRequest } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { MAX_MESSAGE_BYTES, startWebHost } from '../../src-main/hosts/web/server'
import { useTempDir } from '../store/helpers'
import { deepTreeData, includeFanOut, wideSource } from './corpus'
import { call, closeCodeAfter, connect, serve, type Served } from './web-host-support'

const tempDir = useTempDir()
let served: Served | undefined

afterEach(async () => {
  await served?.host.close()
  served?.context.close()
  served = undefined
})

const stillServes = async (host: Served) =>
  expect(await call(host, 'sessions:list', {})).toMatchObject({ ok: true })

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, (response) => {
      let body = ''
      response.on('data', (chunk) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    })
      .on('error', reject)
      .end()
  })
}

describe('the web host against hostile input', () => {
  it('closes a connection that sends an over-size frame (1009) and keeps serving', async () => {
    served = await serve(tempDir())
    const code = await closeCodeAfter(served, (socket) =>
      socket.send(Buffer.alloc(MAX_MESSAGE_BYTES + 1, 0x20), { binary: false }),
    )
    expect(code).toBe(1009)
    await stillServes(served)
    expect(served.problems.join('\n')).toMatch(/closed a connection: Max payload size exceeded/)
  })

  it('closes a connection that sends invalid UTF-8 (1007) and keeps serving', async () => {
    served = await serve(tempDir())
    const code = await closeCodeAfter(served, (socket) =>
      socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false }),
    )
    expect(code).toBe(1007)
    await stillServes(served)
  })

  it('closes a connection on a malformed frame (1008) and keeps serving', async () => {
    served = await serve(tempDir())
    expect(await closeCodeAfter(served, (socket) => socket.send('{"id":'))).toBe(1008)
    await stillServes(served)
  })

  it('refuses a tree nested 800 deep with {code, message} and keeps serving', async () => {
    served = await serve(tempDir())
    for (const channel of ['profiles:validate', 'profiles:create']) {
      const request =
        channel === 'profiles:validate'
          ? { tree: deepTreeData(800) }
          : { name: 'deep', tree: deepTreeData(800) }
      expect(await call(served, channel, request)).toEqual({
        ok: false,
        error: {
          code: 'invalid-request',
          message: `${channel}: tree.root: the tree nests nodes more than 64 deep (the devicetree format's limit)`,
        },
      })
    }
    expect(await call(served, 'profiles:validate', { tree: deepTreeData(64) })).toMatchObject({
      ok: true,
    })
    await stillServes(served)
  })

  it('refuses an include bomb and keeps answering while a large board is read', async () => {
    served = await serve(tempDir())
    const fan = includeFanOut()
    const includeFiles = Object.fromEntries(
      Object.entries(fan.files).map(([name, text]) => [`I0/${name}`, text]),
    )
    expect(
      await call(served, 'profiles:import', {
        name: 'fan',
        fileName: 'fan.dts',
        dts: fan.main.replace('"f0.dtsi"', '<f0.dtsi>'),
        includeDirs: ['I0'],
        includeFiles,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', message: expect.stringMatching(/more than 5000 files/) },
    })
    const order: string[] = []
    const large = call(served, 'profiles:import', {
      name: 'wide',
      fileName: 'wide.dts',
      dts: wideSource(50_000),
    }).then((result) => order.push(`import ok: ${(result as { ok: boolean }).ok}`))
    await call(served, 'sessions:list', {}).then(() => order.push('list'))
    await large
    expect(order).toEqual(['list', 'import ok: true'])
  })

  it('answers a request whose handler fails unexpectedly with {code, message}', async () => {
    const dir = tempDir()
    served = await serve(dir)
    await served.host.close()
    served.host = await startWebHost({
      dispatch: () => Promise.reject(new Error('boom')),
      rendererDir: `${dir}/renderer`,
      port: 0,
      log: (message) => served?.problems.push(message),
    })
    const url = new URL(served.host.url)
    served.apiUrl = `ws://${url.host}/api${url.search}`
    served.origin = url.origin
    expect(await call(served, 'sessions:list', {})).toEqual({
      ok: false,
      error: {
        code: 'internal',
        message: 'sessions:list failed unexpectedly; modlab is still running',
      },
    })
    expect(served.problems).toContain('sessions:list failed: boom')
  })
})

describe('the web host access token', () => {
  it('serves the page and the API only to whoever presents the launch token', async () => {
    served = await serve(tempDir())
    const url = new URL(served.host.url)
    const token = url.searchParams.get('token') ?? ''
    expect(token).toMatch(/^[\w-]{43}$/)
    const page = await get(served.host.url)
    expect(page.status).toBe(200)
    expect(page.body).toContain(`<meta name="modlab-token" content="${token}" />`)
    const bare = await get(url.origin + '/')
    expect(bare.status).toBe(403)
    expect(bare.body).toContain('open the URL the web host printed')
    expect((await get(`${url.origin}/?token=${token.slice(1)}`)).status).toBe(403)

    await expect(connect(served, `ws://${url.host}/api`)).rejects.toThrow('refused with 401')
    await expect(connect(served, `ws://${url.host}/api?token=x${token}`)).rejects.toThrow(
      'refused with 401',
    )
    const socket = await connect(served)
    socket.close()
  })

  it('is different at every launch', async () => {
    served = await serve(tempDir())
    const other = await serve(tempDir())
    expect(new URL(other.host.url).searchParams.get('token')).not.toBe(
      new URL(served.host.url).searchParams.get('token'),
    )
    await other.host.close()
    other.context.close()
  })
})

describe('the web host at start', () => {
  it('explains a port in use instead of crashing', async () => {
    served = await serve(tempDir())
    await expect(serve(tempDir(), served.host.port)).rejects.toThrow(
      `port ${served.host.port} is in use (another modlab web host?); choose another with --port`,
    )
  })
})
