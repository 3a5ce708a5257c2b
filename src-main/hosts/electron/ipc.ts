import { ipcMain, type IpcMainInvokeEvent } from 'electron'
import { API_CHANNELS } from '../../api/channels'
import type { ApiResult } from '../../api/contract'
import type { Dispatch } from '../../api/dispatcher'

/**
 * One handler per contract channel, registered once. A request is answered only when it comes
 * from the top frame of our own page; the dispatcher validates it.
 */
export function registerApiHandlers(
  dispatch: Dispatch,
  isTrustedUrl: (url: string) => boolean,
): () => void {
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
        return dispatch(channel, request)
      },
    )
  }
  return () => {
    for (const channel of API_CHANNELS) ipcMain.removeHandler(channel)
  }
}
