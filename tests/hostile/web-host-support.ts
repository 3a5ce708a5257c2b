import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { WebSocket } from 'ws'
import { createAppContext, type AppContext } from '../../src-main/hosts/app-context'
import { startWebHost, type WebHost } from '../../src-main/hosts/web/server'

const INDEX_HTML = `<!doctype html><html><head>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'" />
</head><body><script type="module" src="./app.js"></script></body></html>`

export interface Served {
  host: WebHost
  context: AppContext
  /** The API's WebSocket address with the launch's token. */
  apiUrl: string
  origin: string
  problems: string[]
}

/** A real web host over a real store in `dir`, serving a stand-in renderer page. */
export async function serve(dir: string, port = 0): Promise<Served> {
  const rendererDir = join(dir, 'renderer')
  mkdirSync(rendererDir, { recursive: true })
  writeFileSync(join(rendererDir, 'index.html'), INDEX_HTML)
  const context = createAppContext({ host: 'web', dataDir: join(dir, 'data'), boardWorkers: true })
  const problems: string[] = []
  const host = await startWebHost({
    dispatch: context.dispatch,
    rendererDir,
    port,
    log: (message) => problems.push(message),
  })
  const url = new URL(host.url)
  return {
    host,
    context,
    apiUrl: `ws://${url.host}/api${url.search}`,
    origin: url.origin,
    problems,
  }
}

export function connect(served: Served, url = served.apiUrl): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { origin: served.origin })
    socket.once('open', () => resolve(socket))
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`refused with ${response.statusCode}`)),
    )
    socket.once('error', reject)
  })
}

/** One request over a socket of its own, as the page makes it. */
export async function call(served: Served, channel: string, request: unknown): Promise<unknown> {
  const socket = await connect(served)
  try {
    return await new Promise((resolve) => {
      socket.once('message', (data) => resolve(JSON.parse(String(data)).result))
      socket.send(JSON.stringify({ id: 1, channel, request }))
    })
  } finally {
    socket.close()
  }
}

/** Sends one raw frame and resolves with the close code the host answered with. */
export async function closeCodeAfter(
  served: Served,
  send: (socket: WebSocket) => void,
): Promise<number> {
  const socket = await connect(served)
  return new Promise((resolve) => {
    socket.on('error', () => {})
    socket.once('close', (code) => resolve(code))
    send(socket)
  })
}
