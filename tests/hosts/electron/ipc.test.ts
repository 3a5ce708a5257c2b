import { beforeEach, describe, expect, it, vi } from 'vitest'
import { API_CHANNELS } from '../../../src-main/api/channels'
import { registerApiHandlers } from '../../../src-main/hosts/electron/ipc'
import { ipcMain, resetFakeElectron } from './fake-electron'

vi.mock('electron', () => import('./fake-electron'))

const OWN = 'file:///app/out/renderer/index.html#/sessions'
const frame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } })

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
    expect(dispatch).toHaveBeenCalledWith('sessions:create', { name: 'x', extra: 1 })
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
