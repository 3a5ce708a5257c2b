import { describe, expect, it, vi } from 'vitest'
import { API_CHANNELS } from '../../src-main/api/channels'
import { requestSchemas, type ApiHandlers } from '../../src-main/api/contract'
import { createDispatcher } from '../../src-main/api/dispatcher'
import { ApiError } from '../../src-main/api/errors'

const session = {
  id: 1,
  name: 'x',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  boots: 0,
}

/** Every channel answered "not used here", but for the ones a test provides. */
function handlers(overrides: Partial<ApiHandlers> = {}): ApiHandlers {
  const unused = Object.fromEntries(
    API_CHANNELS.map((channel) => [
      channel,
      () => {
        throw new Error(`${channel} is not used here`)
      },
    ]),
  )
  return {
    ...unused,
    'sessions:create': ({ name }: { name: string }) => ({ ...session, name }),
    'sessions:rename': ({ id, name }: { id: number; name: string }) => ({ ...session, id, name }),
    'sessions:delete': ({ id }: { id: number }) => ({ id }),
    'sessions:list': () => [],
    'profiles:list': () => [],
    ...overrides,
  } as ApiHandlers
}

describe('the contract', () => {
  it('has a schema for exactly the channels it lists', () => {
    expect(Object.keys(requestSchemas).sort()).toEqual([...API_CHANNELS].sort())
  })
})

describe('createDispatcher', () => {
  const dispatch = createDispatcher(handlers())

  it('routes a valid request to its handler with the parsed (trimmed) request', async () => {
    expect(await dispatch('sessions:create', { name: '  timer  ' })).toEqual({
      ok: true,
      value: { ...session, name: 'timer' },
    })
  })

  it('refuses an unknown channel, naming it and the known ones', async () => {
    const result = await dispatch('fs:read', { path: '/etc/passwd' })
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown-channel' } })
    if (!result.ok) {
      expect(result.error.message).toContain('"fs:read"')
      expect(result.error.message).toContain('sessions:create')
    }
  })

  it.each([
    [
      'a missing request',
      'sessions:list',
      undefined,
      'sessions:list: Invalid input: expected object, received undefined',
    ],
    [
      'a missing field',
      'sessions:create',
      {},
      'sessions:create: name: Invalid input: expected string, received undefined',
    ],
    [
      'an empty name',
      'sessions:create',
      { name: '' },
      'sessions:create: name: a session name must not be empty',
    ],
    [
      'a blank name',
      'sessions:create',
      { name: ' \t ' },
      'sessions:create: name: a session name must not be empty',
    ],
    [
      'a long name',
      'sessions:create',
      { name: 'x'.repeat(121) },
      'sessions:create: name: a session name must be at most 120 characters',
    ],
    [
      'a control character',
      'sessions:create',
      { name: 'a\u0007b' },
      'sessions:create: name: a session name must not contain control characters',
    ],
    [
      'an extra field',
      'sessions:delete',
      { id: 1, force: true },
      'sessions:delete: unexpected field force',
    ],
    [
      'a fractional id',
      'sessions:delete',
      { id: 1.5 },
      'sessions:delete: id: Invalid input: expected int, received number',
    ],
    [
      'a negative id',
      'sessions:rename',
      { id: -3, name: 'a' },
      'sessions:rename: id: Too small: expected number to be >0',
    ],
    [
      'a string id',
      'sessions:delete',
      { id: '1' },
      'sessions:delete: id: Invalid input: expected number, received string',
    ],
    [
      'arguments to a no-argument request',
      'profiles:list',
      { all: true },
      'profiles:list: unexpected field all',
    ],
  ])('refuses %s with a message naming the field', async (_what, channel, request, message) => {
    expect(await dispatch(channel, request)).toEqual({
      ok: false,
      error: { code: 'invalid-request', message },
    })
  })

  it('passes a service ApiError through with its code', async () => {
    const failing = createDispatcher(
      handlers({
        'sessions:delete': ({ id }) => {
          throw new ApiError('not-found', `no session with id ${id}`)
        },
      }),
    )
    expect(await failing('sessions:delete', { id: 9 })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'no session with id 9' },
    })
  })

  it('turns an unexpected exception into an internal error, logged, without throwing', async () => {
    const log = vi.fn()
    const failing = createDispatcher(
      handlers({
        'sessions:list': async () => {
          throw new TypeError('boom')
        },
      }),
      log,
    )
    expect(await failing('sessions:list', {})).toEqual({
      ok: false,
      error: { code: 'internal', message: 'sessions:list failed: boom' },
    })
    expect(log).toHaveBeenCalledWith('sessions:list', expect.any(TypeError))
  })
})
