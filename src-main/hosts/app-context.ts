import type { HostKind } from '../api/contract'
import { createDispatcher, type Dispatch } from '../api/dispatcher'
import { createApiHandlers } from '../api/services'
import { loadBuiltinProfiles } from '../hardware/builtin-profiles'
import { join } from 'node:path'
import { appRoot, appVersion, builtinProfilesDir } from '../paths'
import { openStore, type Store } from '../store/database'
import { workerBoardRunner, workerLabRunner } from './board-runner'

export interface AppContext {
  dispatch: Dispatch
  store: Store
  close(): void
}

export interface AppContextOptions {
  host: HostKind
  dataDir: string
  nativeBinding?: string
  logInternalError?: (channel: string, error: unknown) => void
  /** Users' boards read and checked, and the Lab's machines run, on worker threads (the desktop app, the web host). */
  boardWorkers?: boolean
  /** Load the default kernel on the Lab's worker at once, so that the user's first boot is quick. */
  warmLab?: boolean
}

/** What every host starts from: the store, the built-in profiles and one dispatcher over them. */
export function createAppContext(options: AppContextOptions): AppContext {
  const root = appRoot()
  const profiles = loadBuiltinProfiles(builtinProfilesDir(root))
  const store = openStore(options.dataDir, { nativeBinding: options.nativeBinding })
  const appInfo = {
    name: 'modlab',
    version: appVersion(root),
    host: options.host,
    dataDir: options.dataDir,
    databaseFile: store.file,
    schemaVersion: store.schemaVersion,
  }
  const resources = join(root, 'resources')
  const runBoard = options.boardWorkers ? workerBoardRunner() : undefined
  const runLab = options.boardWorkers
    ? workerLabRunner(resources, { warm: options.warmLab })
    : undefined
  const dispatch = createDispatcher(
    createApiHandlers({
      store,
      profiles,
      appInfo,
      resources,
      runBoard,
      runLab,
      userKernels: join(options.dataDir, 'kernels'),
    }),
    options.logInternalError ?? ((channel, error) => console.error(`modlab: ${channel}:`, error)),
  )
  const close = () => {
    void runBoard?.close()
    void runLab?.close()
    store.close()
  }
  return { dispatch, store, close }
}
