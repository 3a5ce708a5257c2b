import { beforeAll, describe, expect, it, vi } from 'vitest'
import { API_CHANNELS, EVENT_IPC_CHANNEL } from '../../../src-main/api/channels'
import type { ModlabApi } from '../../../src-main/api/contract'
import { contextBridge, ipcRenderer } from './fake-electron'

vi.mock('electron', () => import('./fake-electron'))

describe('the preload', () => {
  let api: ModlabApi
  beforeAll(async () => {
    await import('../../../src-main/hosts/electron/preload')
    expect(contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1)
    const [key, exposed] = contextBridge.exposeInMainWorld.mock.calls[0] as [string, ModlabApi]
    expect(key).toBe('modlab')
    api = exposed
  })

  it('exposes one frozen object with exactly the contract channels', () => {
    expect(Object.isFrozen(api)).toBe(true)
    const channels = Object.entries(api).flatMap(([domain, methods]) =>
      Object.keys(methods).map((verb) => `${domain}:${verb}`),
    )
    expect(channels).toEqual([...API_CHANNELS])
  })

  it('invokes the channel over ipcRenderer and unwraps the reply', async () => {
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: [] })
    await expect(api.sessions.list()).resolves.toEqual([])
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith('sessions:list', {})
    ipcRenderer.invoke.mockResolvedValueOnce({
      ok: false,
      error: { code: 'not-found', message: 'no session with id 3' },
    })
    await expect(api.sessions.delete({ id: 3 })).rejects.toEqual({
      code: 'not-found',
      message: 'no session with id 3',
    })
  })

  it('hands the events main pushes to the page, without the IPC event', () => {
    const [channel, deliver] = ipcRenderer.on.mock.calls[0] as unknown as [
      string,
      (event: unknown, message: unknown) => void,
    ]
    expect(channel).toBe(EVENT_IPC_CHANNEL)
    const heard: unknown[][] = []
    const stop = api.onEvent('lab:stream', (...args) => heard.push(args))
    deliver({ sender: 'the ipc event' }, { event: 'lab:stream', payload: { watch: 7 } })
    stop()
    deliver({ sender: 'the ipc event' }, { event: 'lab:stream', payload: { watch: 8 } })
    expect(heard).toEqual([[{ watch: 7 }]])
  })
})
