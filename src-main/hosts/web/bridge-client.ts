/**
 * Runs in the page, before the app: defines the same frozen `window.modlab` that the Electron
 * preload defines, carried over a WebSocket to the web host.
 */
import { buildModlabApi, type Subscribe } from '../../api/bridge'
import type { ApiChannel } from '../../api/channels'
import type { ApiResult } from '../../api/contract'

interface Pending {
  resolve: (result: ApiResult) => void
}

const pending = new Map<number, Pending>()
let nextId = 1
let socket: WebSocket | undefined
let opened: Promise<WebSocket> | undefined
/** Where frames without an id go: the events main pushed. */
let deliver: Parameters<Subscribe>[0] = () => {}

function connect(): Promise<WebSocket> {
  if (opened && socket && socket.readyState <= WebSocket.OPEN) return opened
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:'
  // page.ts's TOKEN_META: the launch's access token, which the API asks of every connection.
  const token = document.querySelector('meta[name="modlab-token"]')?.getAttribute('content')
  const ws = new WebSocket(
    `${protocol}//${location.host}/api?token=${encodeURIComponent(token ?? '')}`,
  )
  socket = ws
  opened = new Promise((resolve, reject) => {
    ws.addEventListener('open', () => resolve(ws), { once: true })
    ws.addEventListener('error', () => reject(new Error('cannot reach the modlab web host')), {
      once: true,
    })
  })
  ws.addEventListener('message', (event) => {
    const frame = JSON.parse(String(event.data)) as { id?: number; result?: ApiResult }
    if (typeof frame.id !== 'number') return deliver(frame)
    pending.get(frame.id)?.resolve(frame.result as ApiResult)
    pending.delete(frame.id)
  })
  ws.addEventListener('close', () => {
    for (const [id, request] of pending) {
      request.resolve({
        ok: false,
        error: { code: 'internal', message: 'the connection to the modlab web host was lost' },
      })
      pending.delete(id)
    }
  })
  return opened
}

async function invoke(channel: ApiChannel, request: unknown): Promise<ApiResult> {
  let ws: WebSocket
  try {
    ws = await connect()
  } catch (error) {
    opened = undefined
    return { ok: false, error: { code: 'internal', message: (error as Error).message } }
  }
  const id = nextId++
  return new Promise((resolve) => {
    pending.set(id, { resolve })
    ws.send(JSON.stringify({ id, channel, request }))
  })
}

Object.defineProperty(window, 'modlab', {
  value: buildModlabApi(invoke, (listener) => (deliver = listener)),
  writable: false,
  configurable: false,
  enumerable: true,
})
