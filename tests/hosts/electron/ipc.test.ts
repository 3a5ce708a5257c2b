import { beforeEach, describe, expect, it, vi } from 'vitest'
import { API_CHANNELS } from '../../../src-main/api/channels'
import { registerApiHandlers } from '../../../src-main/hosts/electron/ipc'
import { EVENT_IPC_CHANNEL } from '../../../src-main/api/channels'
import type { Connection } from '../../../src-main/api/connection'
import type { Dispatch } from '../../../src-main/api/dispatcher'
import { FakeWebContents, ipcMain, resetFakeElectron } from './fake-electron'

vi.mock('electron', () => import('./fake-electron'))

const OWN = 'file:///app/out/renderer/index.html#/sessions'
const frame = (url: string, parent: unknown = null, sender = new FakeWebContents(url)) => ({
  senderFrame: { url, parent },
  sender,
})

describe('registerApiHandlers', () => {
  beforeEach(resetFakeElectron)

  it('registers one handler per contract channel and removes them again', () => {
    const unregister = registerApiHandlers(vi.fn(), () => true)
    expect([...ipcMain.handlers.keys()]).toEqual([...API_CHANNELS])
    unregister()
    expect(ipcMain.handlers.size).toBe(0)
  })

  it('passes requests from our own top frame to the dispatcher, unparsed', async () => {
    const dispatch = vi.fn(async () => ({ ok: true as const, value: 'v' }))
    registerApiHandlers(dispatch, (url) => url === OWN)
    const result = await ipcMain.handlers.get('sessions:create')?.(frame(OWN), {
      name: 'x',
      extra: 1,
    })
    expect(result).toEqual({ ok: true, value: 'v' })
    expect(dispatch).toHaveBeenCalledWith(
      'sessions:create',
      { name: 'x', extra: 1 },
      expect.objectContaining({ closed: false }),
    )
  })

  it('pushes events to the window a request came from, until it is destroyed', async () => {
    const connections: Connection[] = []
    const dispatch: Dispatch = async (_channel, _request, connection) => {
      connections.push(connection!)
      return { ok: true, value: null }
    }
    registerApiHandlers(dispatch, (url) => url === OWN)
    const window = new FakeWebContents(OWN)
    await ipcMain.handlers.get('lab:watch')?.(frame(OWN, null, window), {})
    await ipcMain.handlers.get('lab:modules')?.(frame(OWN, null, window), {})
    // One connection per window, whatever it asks.
    expect(connections[1]).toBe(connections[0])
    const batch = { watch: 1 } as never
    connections[0]!.push('lab:stream', batch)
    expect(window.send).toHaveBeenCalledWith(EVENT_IPC_CHANNEL, {
      event: 'lab:stream',
      payload: batch,
    })
    // Navigated away from our page (it cannot, by security.ts): it hears nothing.
    window.url = 'https://evil.example/'
    connections[0]!.push('lab:stream', batch)
    window.url = OWN
    window.destroy()
    expect(connections[0]!.closed).toBe(true)
    connections[0]!.push('lab:stream', batch)
    expect(window.send).toHaveBeenCalledTimes(1)
  })

  it.each([
    ['another page', frame('https://evil.example/')],
    ['a subframe of our page', frame(OWN, { url: OWN })],
    ['a destroyed frame', { senderFrame: null }],
  ])('refuses a request from %s', async (_what, event) => {
    const dispatch = vi.fn()
    registerApiHandlers(dispatch, (url) => url === OWN)
    const result = await ipcMain.handlers.get('sessions:list')?.(event, {})
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(dispatch).not.toHaveBeenCalled()
  })
})
