import { contextBridge, ipcRenderer } from 'electron'
import { buildModlabApi } from '../../api/bridge'
import type { ApiResult } from '../../api/contract'

contextBridge.exposeInMainWorld(
  'modlab',
  buildModlabApi((channel, request) => ipcRenderer.invoke(channel, request) as Promise<ApiResult>),
)
