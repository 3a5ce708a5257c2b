import { contextBridge, ipcRenderer } from 'electron'
import { buildModlabApi } from '../../api/bridge'
import { EVENT_IPC_CHANNEL } from '../../api/channels'
import type { ApiResult } from '../../api/contract'

contextBridge.exposeInMainWorld(
  'modlab',
  buildModlabApi(
    (channel, request) => ipcRenderer.invoke(channel, request) as Promise<ApiResult>,
    // Only the message crosses into the page, never the IpcRendererEvent (it holds the sender).
    (deliver) => ipcRenderer.on(EVENT_IPC_CHANNEL, (_event, message: unknown) => deliver(message)),
  ),
)
