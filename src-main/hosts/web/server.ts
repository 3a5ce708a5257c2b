import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import { z } from 'zod'
import type { Dispatch } from '../../api/dispatcher'
import { BRIDGE_SCRIPT_PATH, buildBridgeScript, injectBridge, policyOf } from './page'
import { readStaticFile } from './static-files'

export interface WebHostOptions {
  dispatch: Dispatch
  /** The built renderer (out/renderer). */
  rendererDir: string
  /** 0 picks a free port. */
  port: number
}

export interface WebHost {
  url: string
  port: number
  close(): Promise<void>
}

const LOOPBACK = '127.0.0.1'
// Room for an imported devicetree blob (base64) in one request.
const MAX_MESSAGE_BYTES = 40 * 1024 * 1024

const WireRequest = z.object({
  id: z.number().int().nonnegative(),
  channel: z.string().max(200),
  request: z.unknown(),
})

/** Serves the renderer and the API on loopback only, to pages of its own origin only. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const indexHtml = await readFile(join(options.rendererDir, 'index.html'), 'utf8').catch(() => {
    throw new Error(`no built renderer in ${options.rendererDir}: run "npm run build" first`)
  })
  const page = injectBridge(indexHtml)
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
    if (path === '/' || path === '/index.html')
      return send(response, 200, 'text/html; charset=utf-8', page)
    if (path === BRIDGE_SCRIPT_PATH)
      return send(response, 200, 'text/javascript; charset=utf-8', bridgeScript)
    void readStaticFile(options.rendererDir, path).then((file) =>
      file
        ? send(response, 200, file.contentType, file.body)
        : send(response, 404, 'text/plain', 'not found\n'),
    )
  })

  const sockets = new WebSocketServer({
    server,
    path: '/api',
    maxPayload: MAX_MESSAGE_BYTES,
    verifyClient: ({ origin, req }: { origin: string | undefined; req: IncomingMessage }) =>
      ownOrigins().includes(origin ?? '') && ownHosts().includes(req.headers.host ?? ''),
  })
  sockets.on('connection', (socket) => serveApi(socket, options.dispatch))

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, LOOPBACK, () => resolve())
  })
  port = (server.address() as AddressInfo).port
  return {
    url: `http://${LOOPBACK}:${port}/`,
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

function serveApi(socket: WebSocket, dispatch: Dispatch) {
  socket.on('message', (data, isBinary) => {
    let frame: z.infer<typeof WireRequest>
    try {
      if (isBinary) throw new Error('binary frame')
      frame = WireRequest.parse(JSON.parse(String(data)))
    } catch {
      socket.close(1008, 'malformed request frame')
      return
    }
    void dispatch(frame.channel, frame.request).then((result) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ id: frame.id, result }))
    })
  })
}
