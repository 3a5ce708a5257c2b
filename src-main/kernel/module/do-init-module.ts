import { NSEC_PER_USEC } from '../clock'
import { ERRNO } from '../../linux/errno'
import type { Kernel } from '../kernel'
import { addHeaps } from '../subsys/dma-heap'
import type { LoadedModule, ModuleLoader } from './loader'
import { paramInt } from './params'

/** do_init_module() (kernel/module/main.c:2723): init runs (its drivers register and probe); a failure frees the module. */
export function doInitModule(loader: ModuleLoader, module: LoadedModule, pid: number): number {
  const { def } = module
  const kernel = loader.kernel
  const fn = def.init.fn ?? `${def.name}_init`
  const symbol = `${fn}+0x0/0x${def.init.size.toString(16)} [${def.name}]`
  const start = kernel.clock.now
  let ret = 0
  if (def.hasInit) {
    const span = kernel.trace.begin()
    if (kernel.initcallDebug) kernel.printk('debug', `calling  ${symbol} @ ${pid}`)
    kernel.spendUs(def.init.us)
    kernel.printMessages(def.init.messages, kernel.boardValues())
    if (def.init.fails) ret = -ERRNO[def.init.fails]
    else if (def.init.heaps) ret = addHeaps(kernel, def.init.heaps, def.name)
    if (ret === 0) {
      registerNetdevs(kernel, module)
      for (const driver of kernel.inputs.profile.drivers) {
        if (driver.module !== def.name) continue
        // *_OF_DECLARE in a module is an unused static, in no table (include/linux/of.h:1528):
        // nothing ever calls its init function.
        if (driver.registration.kind === 'of_declare') continue
        module.drivers.push(driver)
        kernel.core.registerDriver(driver)
      }
    }
    if (kernel.initcallDebug) {
      const usecs = Math.floor((kernel.clock.now - start) / NSEC_PER_USEC)
      kernel.printk('debug', `initcall ${symbol} returned ${ret} after ${usecs} usecs`)
    }
    kernel.trace.end(span, 'initcall', { fn, level: 'module', ret, module: def.name })
  }
  if (ret < 0) {
    module.state = 'going'
    for (const driver of module.drivers) kernel.core.unregisterDriver(driver)
    return loader.freeModule(module, ret)
  }
  module.state = 'live'
  module.refcnt -= 1
  // The init layout is freed once init returned (do_free_init); /proc/modules drops it.
  module.initSize = 0
  return 0
}

/** The network devices the module's init registers, as many as its parameter asks for. */
function registerNetdevs(kernel: Kernel, module: LoadedModule): void {
  const netdevs = module.def.init.netdevs
  if (!netdevs) return
  const { count } = netdevs
  const given = typeof count === 'number' ? undefined : module.params.get(count.param)
  const wanted =
    typeof count === 'number' ? count : given === undefined ? count.default : paramInt(given)
  for (let unit = 0; unit < wanted; unit++) kernel.net.register(netdevs.name, module.name)
}
