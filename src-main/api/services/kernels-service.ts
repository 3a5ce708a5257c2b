import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { importKernel, KernelImportError } from '../../catalog/import/kernel-import'
import type { KernelProfile } from '../../catalog/kernel-profile-schema'
import type { KernelRegistry } from '../../catalog/kernel-registry'
import type { ApiHandlers, KernelSummary } from '../contract'
import { ApiError } from '../errors'

export function kernelSummary(
  kernel: KernelProfile,
  origin: KernelSummary['origin'],
): KernelSummary {
  return {
    id: kernel.id,
    name: kernel.name,
    description: kernel.description,
    release: kernel.release,
    drivers: kernel.drivers.length,
    modules: kernel.modules.filter((module) => kernel.config[module.kconfig] === 'm').length,
    origin,
  }
}

/** Kernel profiles: the built-in ones and the user's imported builds. */
export function createKernelsService(
  registry: KernelRegistry,
): Pick<ApiHandlers, 'kernels:list' | 'kernels:import' | 'kernels:delete'> {
  const userDir = registry.userDir
  const builtinIds = () => new Set(registry.builtins().map((kernel) => kernel.id))
  return {
    'kernels:list': () => {
      const builtin = builtinIds()
      return registry
        .list()
        .kernels.map((kernel) => kernelSummary(kernel, builtin.has(kernel.id) ? 'builtin' : 'user'))
    },
    'kernels:import': (request) => {
      if (!userDir) throw new ApiError('invalid-request', 'this host keeps no user kernels')
      try {
        const result = importKernel(request, registry.builtins(), userDir)
        const kernel = registry.find(result.id)
        if (!kernel) throw new Error(`imported kernel ${result.id} does not load`)
        return {
          ...kernelSummary(kernel, 'user'),
          builtinModules: result.builtin,
          exports: result.exports,
          base: result.base,
          notes: result.notes,
        }
      } catch (error) {
        if (error instanceof KernelImportError) {
          const details = error.problems
            .slice(0, 20)
            .map((problem) => `\n  ${problem.file}: ${problem.problem}`)
            .join('')
          const more =
            error.problems.length > 20 ? `\n  … and ${error.problems.length - 20} more` : ''
          throw new ApiError('invalid-request', `${error.message}${details}${more}`)
        }
        throw error
      }
    },
    'kernels:delete': ({ id }) => {
      if (builtinIds().has(id))
        throw new ApiError('invalid-request', `${id} is built in and cannot be deleted`)
      if (!userDir || !registry.find(id))
        throw new ApiError('not-found', `no imported kernel with id ${id}`)
      rmSync(join(userDir, id), { recursive: true, force: true })
      return { id }
    },
  }
}
