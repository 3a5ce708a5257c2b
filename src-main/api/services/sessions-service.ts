import type { Store } from '../../store/database'
import type { ApiHandlers } from '../contract'
import { ApiError } from '../errors'

function noSuchSession(id: number): ApiError {
  return new ApiError('not-found', `no session with id ${id}`)
}

export function createSessionsService(
  store: Store,
): Pick<ApiHandlers, 'sessions:list' | 'sessions:create' | 'sessions:rename' | 'sessions:delete'> {
  const { sessions, boots } = store
  const withBoots = <T extends { id: number }>(session: T) => ({
    ...session,
    boots: boots.countBySession().get(session.id) ?? 0,
  })
  return {
    'sessions:list': ({ offset, limit }) => {
      const counts = boots.countBySession()
      return sessions
        .list(offset, limit)
        .map((session) => ({ ...session, boots: counts.get(session.id) ?? 0 }))
    },
    'sessions:create': ({ name }) => withBoots(sessions.create(name)),
    'sessions:rename': ({ id, name }) => {
      const renamed = sessions.rename(id, name)
      if (!renamed) throw noSuchSession(id)
      return withBoots(renamed)
    },
    'sessions:delete': ({ id }) => {
      if (!sessions.delete(id)) throw noSuchSession(id)
      return { id }
    },
  }
}
