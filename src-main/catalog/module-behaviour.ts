import type { ModuleBehaviours, ModuleDefinition } from './module-schema'

/** The module with what module-behaviour.json says its init does, if it says anything. */
export function withBehaviour(
  module: ModuleDefinition,
  behaviours: ModuleBehaviours | undefined,
): ModuleDefinition {
  const behaviour = behaviours?.[module.name]
  if (!behaviour) return module
  const { messages, fails, netdevs, heaps } = behaviour
  // A copy of the descriptors: the module's lists stay undecoded.
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(module))
  const init = {
    ...module.init,
    messages,
    ...(fails ? { fails } : {}),
    ...(netdevs ? { netdevs } : {}),
    ...(heaps ? { heaps } : {}),
    ...(behaviour.builtin ? { fn: behaviour.builtin.initcall } : {}),
  }
  return Object.assign(copy as ModuleDefinition, { init })
}
