import type { BuiltinProfile } from '../../hardware/builtin-profiles'
import type { Store } from '../../store/database'
import type { ApiHandlers, AppInfo } from '../contract'
import { createProfilesService } from './profiles-service'
import { createSessionsService } from './sessions-service'

export interface ServiceDependencies {
  store: Store
  profiles: readonly BuiltinProfile[]
  appInfo: AppInfo
}

/** Every handler of the contract, over one store and the built-in profiles. */
export function createApiHandlers({ store, profiles, appInfo }: ServiceDependencies): ApiHandlers {
  return {
    'app:info': () => appInfo,
    ...createProfilesService(profiles),
    ...createSessionsService(store.sessions),
  }
}
