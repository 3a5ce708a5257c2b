import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import { z } from 'zod'
import { createConnection } from '../../api/connection'
import type { Dispatch } from '../../api/dispatcher'
import { createAccessToken, TOKEN_PARAMETER } from './access-token'
import { BRIDGE_SCRIPT_PATH, buildBridgeScript, injectBridge, policyOf } from './page'
import { readStaticFile } from './static-files'

export interface WebHostOptions {
  dispatch: Dispatch
  /** The built renderer (out/renderer). */
  rendererDir: string
  /** 0 picks a free port. */
  port: number
  /** The access token; a fresh random one by default. */
  token?: string
  /** Where the host reports what it survived (a bad frame, a failed request); stderr by default. */
  log?: (message: string) => void
}

export interface WebHost {
  /** The app's address with its access token: the one URL that opens it. */
  url: string
  port: number
  close(): Promise<void>
}

/** Why the host could not start (the port is taken...): a message for the user, not a crash. */
export class WebHostError extends Error {
  override name = 'WebHostError'
}

const LOOPBACK = '127.0.0.1'
// Room for an imported devicetree blob (24 MiB, base64) in one request.
export const MAX_MESSAGE_BYTES = 40 * 1024 * 1024

const WireRequest = z.object({
  id: z.number().int().nonnegative(),
  channel: z.string().max(200),
  request: z.unknown(),
})

/** Serves the renderer and the API on loopback only, to pages of its own origin holding its token. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const indexHtml = await readFile(join(options.rendererDir, 'index.html'), 'utf8').catch(() => {
    throw new WebHostError(`no built renderer in ${options.rendererDir}: run "npm run build" first`)
  })
  const log = options.log ?? ((message: string) => process.stderr.write(`modlab web: ${message}\n`))
  const token = createAccessToken(options.token)
  const page = injectBridge(indexHtml, token.value)
  const bridgeScript = buildBridgeScript()
  const headers = {
    'Content-Security-Policy': `${policyOf(indexHtml)}; frame-ancestors 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  }
  let port = 0
  const ownHosts = () => [`${LOOPBACK}:${port}`, `localhost:${port}`]
  const ownOrigins = () => ownHosts().map((host) => `http://${host}`)

  const send = (
    response: ServerResponse,
    status: number,
    contentType: string,
    body: string | Buffer,
  ) => {
    response.writeHead(status, {
      ...headers,
      'Content-Type': contentType,
      'Cache-Control': 'no-store',
    })
    response.end(body)
  }

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    // DNS rebinding: a page of another name that resolves here is not ours.
    if (!ownHosts().includes(request.headers.host ?? '')) {
      return send(response, 421, 'text/plain', 'modlab answers only to its own loopback address\n')
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return send(response, 405, 'text/plain', 'method not allowed\n')
    }
    const path = new URL(request.url ?? '/', 'http://x').pathname
    if (path === '/' || path === '/index.html') {
      if (!token.admits(request.url)) {
        return send(
          response,
          403,
          'text/plain; charset=utf-8',
          'modlab: this address needs its access token: open the URL the web host printed when it started\n',
        )
      }
      return send(response, 200, 'text/html; charset=utf-8', page)
    }
    if (path === BRIDGE_SCRIPT_PATH)
      return send(response, 200, 'text/javascript; charset=utf-8', bridgeScript)
    readStaticFile(options.rendererDir, path).then(
      (file) =>
        file
          ? send(response, 200, file.contentType, file.body)
          : send(response, 404, 'text/plain', 'not found\n'),
      () => send(response, 500, 'text/plain', 'cannot read the file\n'),
    )
  })

  const sockets = new WebSocketServer({
    server,
    path: '/api',
    maxPayload: MAX_MESSAGE_BYTES,
    verifyClient: ({ origin, req }: { origin: string | undefined; req: IncomingMessage }) =>
      ownOrigins().includes(origin ?? '') &&
      ownHosts().includes(req.headers.host ?? '') &&
      token.admits(req.url),
  })
  // ws re-emits the server's errors here; without a listener any of them would end the process.
  // A failure to listen is reported by listen() below, as the reason the host did not start.
  let listening = false
  sockets.on('error', (error) => {
    if (listening) log(`server error: ${error.message}`)
  })
  sockets.on('connection', (socket) => serveApi(socket, options.dispatch, log))

  await listen(server, options.port)
  listening = true
  port = (server.address() as AddressInfo).port
  return {
    url: `http://${LOOPBACK}:${port}/?${TOKEN_PARAMETER}=${token.value}`,
    port,
    close: () =>
      new Promise((resolve) => {
        for (const client of sockets.clients) client.terminate()
        sockets.close()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const refuse = (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'EADDRINUSE'
          ? `port ${port} is in use (another modlab web host?); choose another with --port`
          : error.code === 'EACCES'
            ? `port ${port} is not allowed for this user; choose another with --port`
            : `cannot listen on ${LOOPBACK}:${port} (${error.message})`
      reject(new WebHostError(why))
    }
    server.once('error', refuse)
    server.listen(port, LOOPBACK, () => {
      server.off('error', refuse)
      resolve()
    })
  })
}

function serveApi(socket: WebSocket, dispatch: Dispatch, log: (message: string) => void) {
  // Pushed events go back over the socket as frames without an id; none once it is closed.
  const { connection, close } = createConnection((message) => {
    if (socket.readyState !== socket.OPEN) return
    try {
      socket.send(JSON.stringify(message))
    } catch (error) {
      log(`${message.event}: cannot send the event (${String(error)})`)
    }
  })
  socket.on('close', close)
  // An over-size frame or one of invalid UTF-8 arrives here; ws has already closed the socket.
  socket.on('error', (error) => log(`closed a connection: ${error.message}`))
  socket.on('message', (data, isBinary) => {
    let frame: z.infer<typeof WireRequest>
    try {
      if (isBinary) throw new Error('binary frame')
      frame = WireRequest.parse(JSON.parse(String(data)))
    } catch {
      socket.close(1008, 'malformed request frame')
      return
    }
    const reply = (result: unknown) => {
      if (socket.readyState !== socket.OPEN) return
      let text: string
      try {
        text = JSON.stringify({ id: frame.id, result })
      } catch (error) {
        log(`${frame.channel}: cannot encode the reply (${String(error)})`)
        text = JSON.stringify({ id: frame.id, result: internalFailure(frame.channel) })
      }
      socket.send(text)
    }
    dispatch(frame.channel, frame.request, connection)
      .catch((error: unknown) => {
        log(`${frame.channel} failed: ${error instanceof Error ? error.message : String(error)}`)
        return internalFailure(frame.channel)
      })
      .then(reply)
  })
}

const internalFailure = (channel: string) => ({
  ok: false,
  error: { code: 'internal', message: `${channel} failed unexpectedly; modlab is still running` },
})
