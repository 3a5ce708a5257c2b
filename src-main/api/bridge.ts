import { API_CHANNELS, type ApiChannel } from './channels'
import type { ApiErrorShape, ApiResult, ModlabApi } from './contract'

/** Carries one request to the main process and brings back its result envelope. */
export type Invoke = (channel: ApiChannel, request: unknown) => Promise<ApiResult>

/**
 * Builds the frozen `window.modlab` over any transport: Electron's ipcRenderer in the preload,
 * a WebSocket in the web host. A failed request rejects with a plain `{code, message}`.
 */
export function buildModlabApi(invoke: Invoke): ModlabApi {
  const domains: Record<string, Record<string, (request?: unknown) => Promise<unknown>>> = {}
  for (const channel of API_CHANNELS) {
    const [domain, verb] = channel.split(':') as [string, string]
    const methods = (domains[domain] ??= {})
    methods[verb] = async (request: unknown = {}) => unwrap(await invoke(channel, request))
  }
  for (const methods of Object.values(domains)) Object.freeze(methods)
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
