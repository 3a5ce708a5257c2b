import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { importKernel, KernelImportError } from '../../catalog/import/kernel-import'
import type { KernelProfile } from '../../catalog/kernel-profile-schema'
import type { KernelEntry, KernelRegistry } from '../../catalog/kernel-registry'
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

/** A list entry from the header and the catalog's summary; a kernel without one (small, written by hand) is loaded. */
function summaryOf(entry: KernelEntry, registry: KernelRegistry): KernelSummary {
  const { id, name, description, release, origin } = entry
  if (entry.modules !== undefined && entry.drivers !== undefined)
    return {
      id,
      name,
      description,
      release,
      origin,
      modules: entry.modules,
      drivers: entry.drivers,
    }
  const kernel = registry.find(id)
  return kernel
    ? kernelSummary(kernel, origin)
    : { id, name, description, release, origin, modules: 0, drivers: 0 }
}

function importFailure(error: KernelImportError): ApiError {
  const details = error.problems
    .slice(0, 20)
    .map((problem) => `\n  ${problem.file}: ${problem.problem}`)
    .join('')
  const more = error.problems.length > 20 ? `\n  … and ${error.problems.length - 20} more` : ''
  return new ApiError('invalid-request', `${error.message}${details}${more}`)
}

/** Kernel profiles: the built-in ones and the user's imported builds. */
export function createKernelsService(
  registry: KernelRegistry,
): Pick<ApiHandlers, 'kernels:list' | 'kernels:import' | 'kernels:delete'> {
  const userDir = registry.userDir
  const isBuiltin = (id: string) => registry.builtinEntries().some((entry) => entry.id === id)
  return {
    'kernels:list': () => registry.list().kernels.map((entry) => summaryOf(entry, registry)),
    'kernels:import': (request) => {
      if (!userDir) throw new ApiError('invalid-request', 'this host keeps no user kernels')
      try {
        const result = importKernel(request, registry, userDir)
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
        if (error instanceof KernelImportError) throw importFailure(error)
        throw error
      }
    },
    'kernels:delete': ({ id }) => {
      if (isBuiltin(id))
        throw new ApiError('invalid-request', `${id} is built in and cannot be deleted`)
      if (!userDir || !registry.find(id))
        throw new ApiError('not-found', `no imported kernel with id ${id}`)
      rmSync(join(userDir, id), { recursive: true, force: true })
      return { id }
    },
  }
}
