import { join } from 'node:path'
import { KernelRegistry } from '../../catalog/kernel-registry'
import type { BuiltinProfile } from '../../hardware/builtin-profiles'
import type { Store } from '../../store/database'
import type { ApiHandlers, AppInfo } from '../contract'
import { createKernelsService } from './kernels-service'
import { createLabService } from './lab-service'
import { createProfilesService } from './profiles-service'
import { createSessionsService } from './sessions-service'

export interface ServiceDependencies {
  store: Store
  profiles: readonly BuiltinProfile[]
  appInfo: AppInfo
  /** The folder of built-in profiles and kernels. */
  resources: string
  /** Where the user's imported kernels are kept (`<data dir>/kernels`). */
  userKernels?: string
}

/** Every handler of the contract, over one store and the built-in profiles. */
export function createApiHandlers({
  store,
  profiles,
  appInfo,
  resources,
  userKernels,
}: ServiceDependencies): ApiHandlers {
  const kernels = new KernelRegistry(join(resources, 'kernels'), userKernels)
  return {
    'app:info': () => appInfo,
    ...createProfilesService(profiles, store, kernels),
    ...createLabService(store, resources, kernels),
    ...createKernelsService(kernels),
    ...createSessionsService(store),
  }
}
