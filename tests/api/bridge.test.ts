import { describe, expect, it, vi } from 'vitest'
import { buildModlabApi, type Invoke } from '../../src-main/api/bridge'
import { API_CHANNELS } from '../../src-main/api/channels'

describe('buildModlabApi', () => {
  it('is frozen, domain by domain, with exactly the contract channels', () => {
    const api = buildModlabApi(vi.fn(), () => {})
    expect(Object.isFrozen(api)).toBe(true)
    const channels = Object.entries(api).flatMap(([domain, methods]) => {
      expect(Object.isFrozen(methods)).toBe(true)
      return Object.keys(methods).map((verb) => `${domain}:${verb}`)
    })
    expect(channels).toEqual([...API_CHANNELS])
  })

  it('sends the channel and request, and resolves with the value', async () => {
    const invoke = vi.fn<Invoke>(async () => ({ ok: true, value: { id: 4 } }))
    const api = buildModlabApi(invoke, () => {})
    await expect(api.sessions.delete({ id: 4 })).resolves.toEqual({ id: 4 })
    expect(invoke).toHaveBeenCalledWith('sessions:delete', { id: 4 })
    await api.profiles.list()
    expect(invoke).toHaveBeenLastCalledWith('profiles:list', {})
  })

  it('rejects with a plain, frozen {code, message}', async () => {
    const api = buildModlabApi(
      async () => ({
        ok: false,
        error: { code: 'not-found', message: 'no session with id 4' },
      }),
      () => {},
    )
    const error = await api.sessions.delete({ id: 4 }).catch((failure: unknown) => failure)
    expect(error).toEqual({ code: 'not-found', message: 'no session with id 4' })
    expect(Object.isFrozen(error)).toBe(true)
    expect(error).not.toBeInstanceOf(Error)
  })

  it('rejects a malformed reply as internal', async () => {
    const api = buildModlabApi(
      async () => 'garbage' as never,
      () => {},
    )
    await expect(api.app.info()).rejects.toEqual({
      code: 'internal',
      message: 'the main process sent a malformed reply',
    })
  })

  it('hands a pushed event to the listeners of its name until they stop listening', () => {
    let deliver: (message: unknown) => void = () => {}
    const api = buildModlabApi(vi.fn(), (listener) => (deliver = listener))
    const batches: unknown[] = []
    const stop = api.onEvent('lab:stream', (batch) => batches.push(batch))
    deliver({ event: 'lab:stream', payload: { watch: 1 } })
    // Not of the contract's shape: dropped, never thrown at the transport.
    for (const junk of [null, 'lab:stream', { event: 'lab:other', payload: 1 }, { payload: 2 }])
      deliver(junk)
    expect(batches).toEqual([{ watch: 1 }])
    stop()
    deliver({ event: 'lab:stream', payload: { watch: 2 } })
    expect(batches).toEqual([{ watch: 1 }])
  })

  it('refuses to listen to an event the contract does not push, naming those it does', () => {
    const api = buildModlabApi(vi.fn(), () => {})
    expect(() => api.onEvent('lab:nothing' as never, () => {})).toThrow(
      'onEvent: unknown event "lab:nothing"; known events: lab:stream',
    )
    expect(() => api.onEvent('lab:stream', 'not a function' as never)).toThrow(
      'the listener must be a function',
    )
  })
})
