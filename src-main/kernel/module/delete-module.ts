import { ERRNO } from '../../linux/errno'
import type { ModuleLoader } from './loader'
import { moduleFlags } from './taint'

/** delete_module (kernel/module/main.c:732) with O_NONBLOCK, O_TRUNC when forced: 0 or a negative errno. */
export function deleteModule(loader: ModuleLoader, name: string, force: boolean): number {
  const module = loader.find(name)
  if (!module) return -ERRNO.ENOENT
  if (module.users.length > 0) return -ERRNO.EAGAIN
  if (module.state !== 'live') {
    loader.kernel.prDebug(`${name} already dying`)
    return -ERRNO.EBUSY
  }
  const forced = force && loader.policy.forceUnload
  // try_force_unload() (kernel/module/main.c): add_taint(TAINT_FORCED_RMMOD, LOCKDEP_NOW_UNRELIABLE).
  if (module.def.hasInit && !module.def.hasExit) {
    if (!forced) return -ERRNO.EBUSY
    loader.taint(undefined, 'R')
  }
  if (loader.refcount(module) !== 0) {
    if (!forced) return -ERRNO.EAGAIN
    loader.taint(undefined, 'R')
  }
  module.state = 'going'
  if (module.def.hasExit) {
    for (const driver of module.drivers) loader.kernel.core.unregisterDriver(driver)
    loader.kernel.net.unregisterOwnedBy(name)
  }
  // module_flags(mod, buf, false) (kernel/module/main.c delete_module): the taints, no state.
  loader.lastUnloaded = { name, taints: moduleFlags({ ...module, state: 'live' }) }
  if (module.def.hasExit) loader.kernel.moduleExit(name)
  loader.freeModule(module, 0)
  loader.kernel.moduleTextFreed(name)
  return 0
}
