import { describe, expect, it, vi } from 'vitest'
import { buildModlabApi, type Invoke } from '../../src-main/api/bridge'
import { API_CHANNELS } from '../../src-main/api/channels'

describe('buildModlabApi', () => {
  it('is frozen, domain by domain, with exactly the contract channels', () => {
    const api = buildModlabApi(vi.fn())
    expect(Object.isFrozen(api)).toBe(true)
    const channels = Object.entries(api).flatMap(([domain, methods]) => {
      expect(Object.isFrozen(methods)).toBe(true)
      return Object.keys(methods).map((verb) => `${domain}:${verb}`)
    })
    expect(channels).toEqual([...API_CHANNELS])
  })

  it('sends the channel and request, and resolves with the value', async () => {
    const invoke = vi.fn<Invoke>(async () => ({ ok: true, value: { id: 4 } }))
    const api = buildModlabApi(invoke)
    await expect(api.sessions.delete({ id: 4 })).resolves.toEqual({ id: 4 })
    expect(invoke).toHaveBeenCalledWith('sessions:delete', { id: 4 })
    await api.profiles.list()
    expect(invoke).toHaveBeenLastCalledWith('profiles:list', {})
  })

  it('rejects with a plain, frozen {code, message}', async () => {
    const api = buildModlabApi(async () => ({
      ok: false,
      error: { code: 'not-found', message: 'no session with id 4' },
    }))
    const error = await api.sessions.delete({ id: 4 }).catch((failure: unknown) => failure)
    expect(error).toEqual({ code: 'not-found', message: 'no session with id 4' })
    expect(Object.isFrozen(error)).toBe(true)
    expect(error).not.toBeInstanceOf(Error)
  })

  it('rejects a malformed reply as internal', async () => {
    const api = buildModlabApi(async () => 'garbage' as never)
    await expect(api.app.info()).rejects.toEqual({
      code: 'internal',
      message: 'the main process sent a malformed reply',
    })
  })
})
