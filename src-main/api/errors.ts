import type { ApiErrorShape, ErrorCode } from './contract'

/** An error a service raises on purpose; it reaches the caller as `{code, message}`. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly missingInclude?: ApiErrorShape['missingInclude'],
  ) {
    super(message)
    this.name = 'ApiError'
  }
}
