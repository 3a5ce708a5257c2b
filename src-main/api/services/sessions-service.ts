import type { SessionsRepository } from '../../store/sessions-repository'
import type { ApiHandlers } from '../contract'
import { ApiError } from '../errors'

function noSuchSession(id: number): ApiError {
  return new ApiError('not-found', `no session with id ${id}`)
}

export function createSessionsService(
  sessions: SessionsRepository,
): Pick<ApiHandlers, 'sessions:list' | 'sessions:create' | 'sessions:rename' | 'sessions:delete'> {
  return {
    'sessions:list': () => sessions.list(),
    'sessions:create': ({ name }) => sessions.create(name),
    'sessions:rename': ({ id, name }) => {
      const renamed = sessions.rename(id, name)
      if (!renamed) throw noSuchSession(id)
      return renamed
    },
    'sessions:delete': ({ id }) => {
      if (!sessions.delete(id)) throw noSuchSession(id)
      return { id }
    },
  }
}
