import { join } from 'node:path'
import { KernelRegistry } from '../../catalog/kernel-registry'
import type { BuiltinProfile } from '../../hardware/builtin-profiles'
import type { Store } from '../../store/database'
import type { ApiHandlers, AppInfo } from '../contract'
import type { BoardRunner } from './board-work'
import { inlineLabRunner, type LabRunner } from '../../sessions/lab-engine'
import { SessionRecorder } from '../../sessions/recorder'
import { createKernelsService } from './kernels-service'
import { createLabService } from './lab-service'
import { createProfilesService } from './profiles-service'
import { createSessionsService } from './sessions-service'
import { createWhatIfService } from './whatif-service'

export interface ServiceDependencies {
  store: Store
  profiles: readonly BuiltinProfile[]
  appInfo: AppInfo
  /** The folder of built-in profiles and kernels. */
  resources: string
  /** Where work on users' boards runs: a worker thread in the hosts, inline by default. */
  runBoard?: BoardRunner
  /** Where the Lab's machines boot and run: a worker thread in the hosts, inline by default. */
  runLab?: LabRunner
  /** Where the user's imported kernels are kept (`<data dir>/kernels`). */
  userKernels?: string
}

/** Every handler of the contract, over one store and the built-in profiles. */
export function createApiHandlers({
  store,
  profiles,
  appInfo,
  resources,
  runBoard,
  runLab = inlineLabRunner(),
  userKernels,
}: ServiceDependencies): ApiHandlers {
  const kernels = new KernelRegistry(join(resources, 'kernels'), userKernels)
  const where = { resources, userKernels }
  const recorder = new SessionRecorder(store, where)
  return {
    'app:info': () => appInfo,
    ...createProfilesService(profiles, store, kernels, runBoard),
    ...createLabService(store, runLab, where, recorder),
    ...createKernelsService(kernels),
    ...createSessionsService(store, recorder, runLab, where),
    ...createWhatIfService(store, runLab, where, recorder),
  }
}
