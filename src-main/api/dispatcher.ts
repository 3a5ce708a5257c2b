import type { z } from 'zod'
import { API_CHANNELS, isApiChannel } from './channels'
import { requestSchemas, type ApiErrorShape, type ApiHandlers, type ApiResult } from './contract'
import { ProfileRefusedError } from '../store/profiles-repository'
import type { Connection } from './connection'
import { ApiError } from './errors'

/** `connection`: the page the request came from, when the host can push events to it. */
export type Dispatch = (
  channel: unknown,
  request: unknown,
  connection?: Connection,
) => Promise<ApiResult>

/**
 * The one place where requests are validated: every host passes what it received here,
 * unparsed. It never throws; every failure comes back as `{ok: false, error: {code, message}}`.
 */
export function createDispatcher(
  handlers: ApiHandlers,
  logInternalError: (channel: string, error: unknown) => void = () => {},
): Dispatch {
  return async (channel, request, connection) => {
    if (!isApiChannel(channel)) {
      return failure({
        code: 'unknown-channel',
        message: `unknown request ${JSON.stringify(channel)}; known requests: ${API_CHANNELS.join(', ')}`,
      })
    }
    try {
      const parsed = requestSchemas[channel].safeParse(request)
      if (!parsed.success) {
        return failure({
          code: 'invalid-request',
          message: `${channel}: ${describeIssues(parsed.error)}`,
        })
      }
      const handler = handlers[channel] as (request: unknown, connection?: Connection) => unknown
      return {
        ok: true,
        value: await (connection ? handler(parsed.data, connection) : handler(parsed.data)),
      }
    } catch (error) {
      if (error instanceof ProfileRefusedError)
        return failure({ code: 'invalid-request', message: error.message })
      if (error instanceof ApiError) {
        const { code, message, missingInclude } = error
        return failure(missingInclude ? { code, message, missingInclude } : { code, message })
      }
      try {
        logInternalError(channel, error)
      } catch {
        // a failing logger must not turn a reply into a rejection
      }
      return failure({ code: 'internal', message: `${channel} failed: ${describeError(error)}` })
    }
  }
}

function describeError(error: unknown): string {
  if (error instanceof RangeError && /call stack/i.test(error.message))
    return 'the request is nested too deeply to read'
  try {
    return error instanceof Error ? error.message : String(error)
  } catch {
    return 'an unexpected error'
  }
}

function failure(error: ApiErrorShape): ApiResult {
  return { ok: false, error }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''
      if (issue.code === 'unrecognized_keys')
        return `${where}unexpected field ${issue.keys.join(', ')}`
      return `${where}${issue.message}`
    })
    .join('; ')
}
