import type { z } from 'zod'
import { API_CHANNELS, isApiChannel } from './channels'
import { requestSchemas, type ApiErrorShape, type ApiHandlers, type ApiResult } from './contract'
import { ApiError } from './errors'

export type Dispatch = (channel: unknown, request: unknown) => Promise<ApiResult>

/**
 * The one place where requests are validated: every host passes what it received here,
 * unparsed. It never throws; every failure comes back as `{ok: false, error: {code, message}}`.
 */
export function createDispatcher(
  handlers: ApiHandlers,
  logInternalError: (channel: string, error: unknown) => void = () => {},
): Dispatch {
  return async (channel, request) => {
    if (!isApiChannel(channel)) {
      return failure({
        code: 'unknown-channel',
        message: `unknown request ${JSON.stringify(channel)}; known requests: ${API_CHANNELS.join(', ')}`,
      })
    }
    const parsed = requestSchemas[channel].safeParse(request)
    if (!parsed.success) {
      return failure({
        code: 'invalid-request',
        message: `${channel}: ${describeIssues(parsed.error)}`,
      })
    }
    try {
      const handler = handlers[channel] as (request: unknown) => unknown
      return { ok: true, value: await handler(parsed.data) }
    } catch (error) {
      if (error instanceof ApiError) {
        const { code, message, missingInclude } = error
        return failure(missingInclude ? { code, message, missingInclude } : { code, message })
      }
      logInternalError(channel, error)
      const detail = error instanceof Error ? error.message : String(error)
      return failure({ code: 'internal', message: `${channel} failed: ${detail}` })
    }
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
