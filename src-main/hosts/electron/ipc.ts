import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { API_CHANNELS, EVENT_IPC_CHANNEL } from '../../api/channels'
import { createConnection, type Connection } from '../../api/connection'
import type { ApiResult } from '../../api/contract'
import type { Dispatch } from '../../api/dispatcher'

/**
 * One handler per contract channel, registered once. A request is answered only when it comes
 * from the top frame of our own page; the dispatcher validates it. Events go back to the window
 * a request came from, while it shows our page, until it is destroyed.
 */
export function registerApiHandlers(
  dispatch: Dispatch,
  isTrustedUrl: (url: string) => boolean,
): () => void {
  const connections = new WeakMap<WebContents, Connection>()
  const connectionOf = (sender: WebContents) => {
    let connection = connections.get(sender)
    if (!connection) {
      const created = createConnection((message) => {
        if (!sender.isDestroyed() && isTrustedUrl(sender.getURL()))
          sender.send(EVENT_IPC_CHANNEL, message)
      })
      sender.once('destroyed', created.close)
      connection = created.connection
      connections.set(sender, connection)
    }
    return connection
  }
  for (const channel of API_CHANNELS) {
    ipcMain.handle(
      channel,
      (event: IpcMainInvokeEvent, request: unknown): Promise<ApiResult> | ApiResult => {
        const frame = event.senderFrame
        if (!frame || frame.parent !== null || !isTrustedUrl(frame.url)) {
          return {
            ok: false,
            error: {
              code: 'forbidden',
              message: `${channel}: refused a request from ${frame?.url ?? 'a destroyed frame'}`,
            },
          }
        }
        return dispatch(channel, request, connectionOf(event.sender))
      },
    )
  }
  return () => {
    for (const channel of API_CHANNELS) ipcMain.removeHandler(channel)
  }
}
