import { protocol } from 'electron'
import { readStaticFile } from '../web/static-files'
import { APP_HOST, APP_SCHEME } from './renderer-entry'

/** Before the app is ready: a standard, secure scheme (an origin, fetch, a CSP that applies). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

/**
 * Answers `app://modlab/<path>` with the file of the built renderer at that path: nothing outside
 * `rendererDir` (`..`, encoded escapes and NULs are refused by readStaticFile), no other host.
 */
export function appProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url)
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || request.method !== 'GET')
      return new Response('not found', { status: 404 })
    const path = url.pathname === '/' ? '/index.html' : url.pathname
    const file = await readStaticFile(rendererDir, path)
    if (!file) return new Response('not found', { status: 404 })
    return new Response(new Uint8Array(file.body), {
      headers: { 'Content-Type': file.contentType, 'X-Content-Type-Options': 'nosniff' },
    })
  }
}

export function serveAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, appProtocolHandler(rendererDir))
}
