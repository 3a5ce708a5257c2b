import type { ApiEvent } from './channels'
import type { ApiEventPayloads } from './lab-contract'

/**
 * The page a request came from (an Electron window, a WebSocket), as the services see it: where
 * pushed events go back to, and a signal when the page is gone.
 */
export interface Connection {
  push<E extends ApiEvent>(event: E, payload: ApiEventPayloads[E]): void
  /** Called once, when the page goes away (at once if it already has). */
  onClose(listener: () => void): void
  readonly closed: boolean
}

/**
 * A connection over a host's transport: `send` carries one `{event, payload}` to the page;
 * the host calls `close()` when the page goes away, and nothing is sent after that.
 */
export function createConnection(send: (message: { event: ApiEvent; payload: unknown }) => void): {
  connection: Connection
  close(): void
} {
  let closed = false
  const listeners: (() => void)[] = []
  const connection: Connection = {
    push: (event, payload) => {
      if (!closed) send({ event, payload })
    },
    onClose: (listener) => {
      if (closed) listener()
      else listeners.push(listener)
    },
    get closed() {
      return closed
    },
  }
  return {
    connection,
    close: () => {
      if (closed) return
      closed = true
      for (const listener of listeners.splice(0)) listener()
    },
  }
}
