import { EventEmitter } from 'node:events'
import { vi } from 'vitest'

/** The one fake of the `electron` module: just enough of it for modlab's main and preload. */
type Handler = (event: unknown, ...args: unknown[]) => unknown

export class FakeWebContents extends EventEmitter {
  windowOpenHandler?: (details: { url: string }) => { action: string }
  destroyed = false
  constructor(public url = 'file:///app/out/renderer/index.html') {
    super()
  }
  readonly send = vi.fn()
  getURL() {
    return this.url
  }
  isDestroyed() {
    return this.destroyed
  }
  destroy() {
    this.destroyed = true
    this.emit('destroyed')
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = []
  static getAllWindows = () => FakeBrowserWindow.instances
  loaded?: { file?: string; url?: string }
  shown = false
  constructor(readonly options: Record<string, unknown>) {
    super()
    FakeBrowserWindow.instances.push(this)
  }
  loadFile(file: string) {
    this.loaded = { file }
    return Promise.resolve()
  }
  loadURL(url: string) {
    this.loaded = { url }
    return Promise.resolve()
  }
  show() {
    this.shown = true
  }
}

const handlers = new Map<string, Handler>()
const paths = new Map<string, string>()

export const ipcMain = {
  handlers,
  handle: vi.fn((channel: string, handler: Handler) => {
    if (handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`)
    handlers.set(channel, handler)
  }),
  removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
}

export const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  getPath: (name: string) => paths.get(name) ?? `/fake/${name}`,
  setPath: vi.fn((name: string, value: string) => paths.set(name, value)),
  enableSandbox: vi.fn(),
  whenReady: vi.fn(() => Promise.resolve()),
  exit: vi.fn(),
  quit: vi.fn(),
})

export const session = {
  defaultSession: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() },
}
export const dialog = { showErrorBox: vi.fn() }
export const protocol = { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() }
export const nativeTheme = { shouldUseDarkColors: false }
export const contextBridge = { exposeInMainWorld: vi.fn() }
export const ipcRenderer = {
  invoke: vi.fn(),
  on: vi.fn((_channel: string, _listener: (event: unknown, ...args: unknown[]) => void) => {}),
}
export const BrowserWindow = FakeBrowserWindow

export function resetFakeElectron() {
  handlers.clear()
  paths.clear()
  FakeBrowserWindow.instances = []
  app.removeAllListeners()
  vi.clearAllMocks()
}
