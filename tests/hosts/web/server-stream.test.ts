import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { Connection } from '../../../src-main/api/connection'
import type { LabStreamBatch } from '../../../src-main/api/contract'
import { createAppContext, type AppContext } from '../../../src-main/hosts/app-context'
import { startWebHost, type WebHost } from '../../../src-main/hosts/web/server'
import { useTempDir } from '../../store/helpers'

const tempDir = useTempDir()
const INDEX_HTML = `<!doctype html><html><head>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'" />
</head><body><script type="module" src="./app.js"></script></body></html>`
let host: WebHost | undefined
let context: AppContext | undefined

afterEach(async () => {
  await host?.close()
  context?.close()
  host = context = undefined
})

/** The real host over a real app; the connections it hands the dispatcher are kept to look at. */
async function serve() {
  const dir = tempDir()
  mkdirSync(join(dir, 'renderer'))
  writeFileSync(join(dir, 'renderer', 'index.html'), INDEX_HTML)
  const app = (context = createAppContext({ host: 'web', dataDir: join(dir, 'data') }))
  const connections: Connection[] = []
  host = await startWebHost({
    dispatch: (channel, request, connection) => {
      if (connection && !connections.includes(connection)) connections.push(connection)
      return app.dispatch(channel, request, connection)
    },
    rendererDir: join(dir, 'renderer'),
    port: 0,
    log: (message) => {
      throw new Error(`the host reported: ${message}`)
    },
  })
  const url = new URL(host.url)
  const socket = new WebSocket(`ws://${url.host}/api${url.search}`, { origin: url.origin })
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
  const frames: { id?: number; result?: { ok: boolean; value: unknown }; event?: string }[] = []
  socket.on('message', (data) => frames.push(JSON.parse(String(data))))
  let id = 0
  const request = async (channel: string, body: unknown) => {
    const sent = ++id
    socket.send(JSON.stringify({ id: sent, channel, request: body }))
    await expect
      .poll(() => frames.some((frame) => frame.id === sent), { timeout: 30_000 })
      .toBe(true)
    return frames.find((frame) => frame.id === sent)!.result!
  }
  return { socket, frames, connections, request, app }
}

describe('the web host pushes events', () => {
  it('as frames without an id, on the socket that watched', async () => {
    const { frames, request, app } = await serve()
    const sessionId = app.store.sessions.create('stream').id
    const booted = await request('lab:boot', {
      sessionId,
      profile: 'qemu-virt',
      kernel: 'debian-6.1-arm64',
      cmdline: 'console=ttyAMA0 initcall_debug',
      seed: 0,
    })
    const boot = booted.value as { bootId: number; recordCount: number; records: unknown[] }
    const watched = await request('lab:watch', { bootId: boot.bootId, from: boot.records.length })
    expect(watched).toMatchObject({ ok: true, value: { recordCount: boot.recordCount } })
    const batches = () =>
      frames
        .filter((frame) => frame.event === 'lab:stream')
        .map((frame) => frame as unknown as { id?: number; payload: LabStreamBatch })
    await expect.poll(() => batches().at(-1)?.payload.done, { timeout: 30_000 }).toBe(true)
    expect(batches().every((frame) => frame.id === undefined)).toBe(true)
    const records = batches().flatMap((frame) => frame.payload.records)
    expect(boot.records.length + records.length).toBe(boot.recordCount)
    expect(records[0]).toMatchObject({ seq: boot.records.length })
  })

  it('and a closed socket closes its connection, which ends its stream', async () => {
    const { socket, connections, request, app } = await serve()
    const sessionId = app.store.sessions.create('stream').id
    const booted = await request('lab:boot', {
      sessionId,
      profile: 'qemu-virt',
      kernel: 'debian-6.1-arm64',
      cmdline: 'console=ttyAMA0',
      seed: 0,
    })
    const { bootId } = booted.value as { bootId: number }
    await request('lab:watch', { bootId, from: 0 })
    expect(connections).toHaveLength(1)
    const [connection] = connections
    expect(connection!.closed).toBe(false)
    socket.close()
    await expect.poll(() => connection!.closed, { timeout: 10_000 }).toBe(true)
    // What the service does on a close (stop the watch) is lab-stream.test.ts's.
    let heard = false
    connection!.onClose(() => (heard = true))
    expect(heard).toBe(true)
  })
})
