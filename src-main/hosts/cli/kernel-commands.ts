import { dirname, join } from 'node:path'
import { importKernel, KernelImportError } from '../../catalog/import/kernel-import'
import { KernelRegistry } from '../../catalog/kernel-registry'
import { appRoot } from '../../paths'
import type { KernelSummary } from '../../api/contract'
import type { Command } from './commands'
import { UserError } from './errors'
import { table } from './format'

const json = { json: { type: 'boolean', default: false } } as const
const asJson = (value: unknown) => JSON.stringify(value, null, 2) + '\n'

function registryOf(store: Parameters<Command['run']>[2]): KernelRegistry {
  return new KernelRegistry(
    join(appRoot(), 'resources', 'kernels'),
    join(dirname(store.file), 'kernels'),
  )
}

const importCommand: Command = {
  path: ['kernel', 'import'],
  summary:
    'Import a kernel build (a /lib/modules/<release> folder or a linux-image .deb) as a kernel profile',
  usage:
    'modlab kernel import PATH [--name NAME] [--config FILE] [--symvers FILE] [--system-map FILE] [--json]',
  options: {
    name: { type: 'string' },
    config: { type: 'string' },
    symvers: { type: 'string' },
    'system-map': { type: 'string' },
    ...json,
  },
  positionals: ['PATH'],
  run: async (_request, { values, positionals: [path] }, store, progress) => {
    const string = (key: string) =>
      typeof values[key] === 'string' ? (values[key] as string) : undefined
    const registry = registryOf(store)
    let shown = -1
    try {
      const result = importKernel(
        {
          path: path as string,
          name: string('name'),
          config: string('config'),
          symvers: string('symvers'),
          systemMap: string('system-map'),
        },
        registry.builtins(),
        registry.userDir as string,
        (done, total) => {
          const percent = Math.floor((done * 100) / total)
          if (percent === shown) return
          shown = percent
          progress(`\rreading modules: ${done}/${total} (${percent}%)${done === total ? '\n' : ''}`)
        },
      )
      if (values.json) return asJson(result)
      return (
        `Imported kernel ${result.id}: ${result.name}\n` +
        `  ${result.modules} modules, ${result.builtin} built-in modules, ${result.exports} vmlinux exports\n` +
        `  core boot from ${result.base}\n` +
        result.notes.map((note) => `  note: ${note}\n`).join('')
      )
    } catch (error) {
      if (!(error instanceof KernelImportError)) throw error
      const files = error.problems
        .map((problem) => `\n  ${problem.file}: ${problem.problem}`)
        .join('')
      throw new UserError(`${error.message}${files}\nnothing was imported`)
    }
  },
}

function kernelsTable(kernels: KernelSummary[]): string {
  return table(
    ['ID', 'RELEASE', 'MODULES', 'DRIVERS', 'ORIGIN', 'NAME'],
    kernels.map((k) => [k.id, k.release, String(k.modules), String(k.drivers), k.origin, k.name]),
    [2, 3],
  )
}

export const KERNEL_COMMANDS: Command[] = [
  {
    path: ['kernels', 'list'],
    summary: 'List the kernel profiles: built in, and imported with "kernel import"',
    usage: 'modlab kernels list [--json]',
    options: json,
    positionals: [],
    run: async (request, { values }) => {
      const kernels = (await request('kernels:list', {})) as KernelSummary[]
      return values.json ? asJson(kernels) : kernelsTable(kernels)
    },
  },
  importCommand,
  {
    path: ['kernel', 'delete'],
    summary: 'Delete an imported kernel profile',
    usage: 'modlab kernel delete ID [--json]',
    options: json,
    positionals: ['ID'],
    run: async (request, { values, positionals: [id] }) => {
      const deleted = (await request('kernels:delete', { id })) as { id: string }
      return values.json ? asJson(deleted) : `Deleted kernel ${deleted.id}\n`
    },
  },
]
