import { API_CHANNELS, API_EVENTS, isApiEvent, type ApiChannel } from './channels'
import type { ApiErrorShape, ApiResult, ModlabApi } from './contract'

/** Carries one request to the main process and brings back its result envelope. */
export type Invoke = (channel: ApiChannel, request: unknown) => Promise<ApiResult>

/** Hands every event main pushes, as it arrived (unchecked), to `deliver`; called once. */
export type Subscribe = (deliver: (message: unknown) => void) => void

/**
 * Builds the frozen `window.modlab` over any transport: Electron's ipcRenderer in the preload,
 * a WebSocket in the web host. A failed request rejects with a plain `{code, message}`; a pushed
 * event reaches the listeners of its name, and one of another shape is dropped.
 */
export function buildModlabApi(invoke: Invoke, subscribe: Subscribe): ModlabApi {
  const domains: Record<string, unknown> = {}
  for (const channel of API_CHANNELS) {
    const [domain, verb] = channel.split(':') as [string, string]
    const methods = (domains[domain] ??= {}) as Record<string, unknown>
    methods[verb] = async (request: unknown = {}) => unwrap(await invoke(channel, request))
  }
  for (const methods of Object.values(domains)) Object.freeze(methods)

  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  subscribe((message) => {
    if (typeof message !== 'object' || message === null) return
    const { event, payload } = message as { event?: unknown; payload?: unknown }
    if (!isApiEvent(event)) return
    for (const listener of [...(listeners.get(event) ?? [])]) {
      try {
        listener(payload)
      } catch (error) {
        // One failing listener must not starve the others.
        console.error(`modlab: a listener of ${event} failed:`, error)
      }
    }
  })
  domains.onEvent = Object.freeze((event: unknown, listener: unknown) => {
    if (!isApiEvent(event))
      throw new TypeError(
        `onEvent: unknown event ${JSON.stringify(event)}; known events: ${API_EVENTS.join(', ')}`,
      )
    if (typeof listener !== 'function')
      throw new TypeError('onEvent: the listener must be a function')
    const set = listeners.get(event) ?? new Set()
    listeners.set(event, set)
    const own = (payload: unknown) => (listener as (payload: unknown) => void)(payload)
    set.add(own)
    return () => void set.delete(own)
  })
  return Object.freeze(domains) as unknown as ModlabApi
}

function unwrap(result: ApiResult): unknown {
  if (result && result.ok === true) return result.value
  const error: ApiErrorShape =
    result && result.ok === false && typeof result.error?.message === 'string'
      ? {
          code: result.error.code,
          message: result.error.message,
          ...(result.error.missingInclude ? { missingInclude: result.error.missingInclude } : {}),
        }
      : { code: 'internal', message: 'the main process sent a malformed reply' }
  throw Object.freeze(error)
}
