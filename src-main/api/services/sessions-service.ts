import type { Store } from '../../store/database'
import { describeAction, diffBoots, diffSessions } from '../../sessions/diff'
import { ExportFileError, exportSession, importSession } from '../../sessions/export'
import type { LabRunner } from '../../sessions/lab-engine'
import { SessionError, type Resources, type SessionRecorder } from '../../sessions/recorder'
import { replaySession } from '../../sessions/replay-session'
import type { ApiHandlers } from '../contract'
import { ApiError } from '../errors'

function noSuchSession(id: number): ApiError {
  return new ApiError('not-found', `no session with id ${id}`)
}

/** The sessions' own errors are the user's: an unknown id is not found, a bad file is refused. */
async function userErrors<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof SessionError) throw new ApiError('not-found', error.message)
    if (error instanceof ExportFileError)
      throw new ApiError('invalid-request', `the session export is refused: ${error.message}`)
    throw error
  }
}

type SessionChannels =
  | 'sessions:list'
  | 'sessions:create'
  | 'sessions:rename'
  | 'sessions:delete'
  | 'sessions:events'
  | 'sessions:replay'
  | 'sessions:diff'
  | 'sessions:export'
  | 'sessions:import'

export function createSessionsService(
  store: Store,
  recorder: SessionRecorder,
  runLab: LabRunner,
  where: Resources,
): Pick<ApiHandlers, SessionChannels> {
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
    'sessions:events': ({ id, from, count }) => {
      if (!sessions.get(id)) throw noSuchSession(id)
      return store.events.list(id, from, count).map((event) => ({
        seq: event.seq,
        kind: event.kind,
        summary: describeAction(event.kind, event.action),
        engineVersion: event.engineVersion,
        action: event.action,
        result: event.result,
        ...(event.bootId !== undefined ? { bootId: event.bootId } : {}),
        createdAt: event.createdAt,
      }))
    },
    'sessions:replay': ({ id, upTo }) =>
      userErrors(() =>
        replaySession(store, recorder, runLab, where, id, upTo === undefined ? {} : { upTo }),
      ),
    'sessions:diff': (request) =>
      userErrors(() =>
        'bootA' in request
          ? { kind: 'boots' as const, boots: diffBoots(store, request.bootA, request.bootB) }
          : { kind: 'sessions' as const, ...diffSessions(store, request.a, request.b) },
      ),
    'sessions:export': ({ id }) =>
      userErrors(() => ({
        fileName: `modlab-session-${id}.json`,
        content: exportSession(store, id),
      })),
    'sessions:import': ({ content }) => userErrors(() => withBoots(importSession(store, content))),
  }
}
