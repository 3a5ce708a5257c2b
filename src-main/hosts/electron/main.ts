import { app, BrowserWindow, dialog } from 'electron'
import { appRoot } from '../../paths'
import { registerAppScheme, serveAppProtocol } from './app-protocol'
import { createAppContext, type AppContext } from '../app-context'
import { registerApiHandlers } from './ipc'
import { electronNativeBinding } from './native-sqlite'
import { isOwnPage, rendererEntry } from './renderer-entry'
import { denyAllPermissions, hardenWebContents } from './security'
import { createMainWindow } from './window'

// A per-run data directory (end-to-end tests) also keeps Chromium's profile out of the user's.
if (process.env.MODLAB_DATA_DIR) app.setPath('userData', process.env.MODLAB_DATA_DIR)

app.enableSandbox()
hardenWebContents()
registerAppScheme()

let context: AppContext | undefined

void app.whenReady().then(() => {
  denyAllPermissions()
  const dataDir = app.getPath('userData')
  try {
    context = createAppContext({
      host: 'electron',
      dataDir,
      boardWorkers: true,
      warmLab: true,
      nativeBinding: electronNativeBinding(appRoot(), process.versions.electron),
    })
  } catch (error) {
    dialog.showErrorBox(
      'modlab cannot start',
      error instanceof Error ? error.message : String(error),
    )
    app.exit(1)
    return
  }
  const entry = rendererEntry(app.isPackaged)
  serveAppProtocol(entry.rendererDir)
  registerApiHandlers(context.dispatch, (url) => isOwnPage(entry, url))
  createMainWindow(entry)
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(entry)
  })
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})

app.on('will-quit', () => context?.close())
