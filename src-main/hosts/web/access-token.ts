import { randomBytes, timingSafeEqual } from 'node:crypto'

/** The query parameter that carries the launch's token, on the page's URL and on the API's. */
export const TOKEN_PARAMETER = 'token'

/**
 * A secret made at each launch: the page is served, and the API answers, only to whoever
 * presents it. Origin checks stop other sites' pages; this stops other local processes.
 */
export interface AccessToken {
  readonly value: string
  /** True when the request URL (`/path?token=...`) carries this launch's token. */
  admits(requestUrl: string | undefined): boolean
}

export function createAccessToken(value = randomBytes(32).toString('base64url')): AccessToken {
  const expected = Buffer.from(value)
  return {
    value,
    admits(requestUrl) {
      const given = new URL(requestUrl ?? '/', 'http://x').searchParams.get(TOKEN_PARAMETER)
      if (given === null) return false
      const bytes = Buffer.from(given)
      return bytes.length === expected.length && timingSafeEqual(bytes, expected)
    },
  }
}
