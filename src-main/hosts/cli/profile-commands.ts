import { existsSync, writeFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import type { ProfileSummary } from '../../api/contract'
import { kernelCompatibles } from '../../catalog/kernel-compatibles'
import { loadKernelProfiles } from '../../catalog/kernel-profiles'
import { isSourceFile, readBoardFile, recordingDiskResolver } from '../../hardware/board-file'
import type { DeviceTree } from '../../hardware/devicetree'
import { DtsSyntaxError, parseDts } from '../../hardware/dts'
import { FdtError } from '../../hardware/fdt'
import { FileTooLargeError, MAX_BLOB_BYTES, MAX_SOURCE_BYTES } from '../../hardware/file-limits'
import { readUserFile } from '../../hardware/user-file'
import { validateTree, type Finding } from '../../hardware/validate'
import { appRoot } from '../../paths'
import type { Command } from './commands'
import { UsageError, UserError } from './errors'
import { asJson, formatBytes, json, table } from './format'

/** A file that cannot be read is the user's error: say which and why (ENOENT, EACCES, ...). */
function cannotRead(path: string, error: unknown): UserError {
  if (error instanceof FileTooLargeError) return new UserError(error.message)
  return new UserError(
    `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
  )
}

/** A board file's tree; a file that cannot be read or parsed is the user's error, named. */
function readBoard(file: string, includeDirs: string[]): DeviceTree {
  try {
    return readBoardFile(file, includeDirs)
  } catch (error) {
    if (error instanceof FdtError) throw new UserError(`${file}: ${error.message}`)
    if (error instanceof DtsSyntaxError) throw new UserError(error.message)
    throw cannotRead(file, error)
  }
}

function validateFile(
  file: string,
  includeDirs: string[],
  kernelId: string | undefined,
): Finding[] {
  const tree = readBoard(file, includeDirs)
  if (!kernelId) return validateTree(tree)
  const kernel = loadKernelProfiles(join(appRoot(), 'resources', 'kernels')).find(
    (k) => k.id === kernelId,
  )
  if (!kernel) throw new UserError(`unknown kernel "${kernelId}"`)
  return validateTree(tree, {
    knownCompatibles: kernelCompatibles(kernel),
    kernelName: kernel.name,
  })
}

const includeOption = { type: 'string', short: 'I', multiple: true } as const

function includeDirsOf(values: Record<string, unknown>): string[] {
  const dirs = values.include
  return Array.isArray(dirs) ? dirs.map(String) : []
}

function readFile(path: string): Buffer {
  try {
    return readUserFile(path, isSourceFile(path) ? MAX_SOURCE_BYTES : MAX_BLOB_BYTES)
  } catch (error) {
    throw cannotRead(path, error)
  }
}

function profilesTable(profiles: ProfileSummary[]): string {
  return table(
    ['ID', 'NAME', 'MODEL', 'NODES', 'CPUS', 'MEMORY'],
    profiles.map((p) => [
      p.id,
      p.name,
      p.model,
      String(p.nodeCount),
      String(p.cpuCount),
      formatBytes(p.memoryBytes),
    ]),
    [3, 4],
  )
}

/** `profiles list` and `profile import|show|export|validate|delete`: device profiles (boards). */
export const PROFILE_COMMANDS: Command[] = [
  {
    path: ['profiles', 'list'],
    summary: 'List the device profiles (boards)',
    usage: 'modlab profiles list [--json]',
    options: json,
    positionals: [],
    run: async (request, { values }) => {
      const profiles = (await request('profiles:list', {})) as ProfileSummary[]
      return values.json ? asJson(profiles) : profilesTable(profiles)
    },
  },
  {
    path: ['profile', 'import'],
    summary:
      'Import a board from its compiled devicetree (.dtb) or its source (.dts, includes searched in each -I DIR) as a device profile',
    usage: 'modlab profile import FILE.dtb|FILE.dts [-I DIR]... [--name NAME] [--json]',
    options: { name: { type: 'string' }, include: includeOption, ...json },
    positionals: ['FILE'],
    run: async (request, { values, positionals: [file] }) => {
      const path = file as string
      const fileName = basename(path)
      const name =
        typeof values.name === 'string' ? values.name : fileName.replace(/\.dt[bs]i?$/i, '')
      let payload: Record<string, unknown>
      if (isSourceFile(path)) {
        // Parsed here first, so that errors name files on this disk; the main process then
        // parses exactly the files read here.
        const includeDirs = includeDirsOf(values).map((dir) => resolve(dir))
        const { resolver, files } = recordingDiskResolver(includeDirs)
        const dts = readFile(path).toString('utf8')
        try {
          parseDts(resolve(path), dts, { resolver })
        } catch (error) {
          if (error instanceof DtsSyntaxError) throw new UserError(error.message)
          throw error
        }
        payload = {
          dts,
          sourcePath: resolve(path),
          includeDirs,
          includeFiles: Object.fromEntries(files),
        }
      } else {
        payload = { dtb: readFile(path).toString('base64') }
      }
      const profile = (await request('profiles:import', {
        name,
        fileName,
        ...payload,
      })) as ProfileSummary
      return values.json
        ? asJson(profile)
        : `Imported ${fileName} as profile ${profile.id}: ${profile.model || '(no model)'}, ${profile.nodeCount} nodes\n`
    },
  },
  {
    path: ['profile', 'show'],
    summary: 'Show a device profile: its board facts and where it came from',
    usage: 'modlab profile show ID [--json]',
    options: json,
    positionals: ['ID'],
    run: async (request, { values, positionals: [id] }) => {
      const profiles = (await request('profiles:list', {})) as ProfileSummary[]
      const profile = profiles.find((p) => p.id === id)
      if (!profile)
        throw new UserError(
          `no profile with id ${id}; known: ${profiles.map((p) => p.id).join(', ')}`,
        )
      if (values.json) return asJson(profile)
      const rows: [string, string][] = [
        ['id', profile.id],
        ['name', profile.name],
        ['kind', profile.builtIn ? 'built-in' : 'imported'],
        ['model', profile.model],
        ['compatible', profile.compatible.join(', ')],
        ['nodes', String(profile.nodeCount)],
        ['cpus', String(profile.cpuCount)],
        ['memory', formatBytes(profile.memoryBytes)],
        ['command line', profile.bootargs],
        ['source', profile.source.generator],
        ['sha256', profile.source.sha256],
      ]
      return rows.map(([key, value]) => `${key.padEnd(13)}${value}\n`).join('')
    },
  },
  {
    path: ['profile', 'export'],
    summary: 'Export a device profile as devicetree source or blob',
    usage: 'modlab profile export ID --format dts|dtb [-o FILE]',
    options: { format: { type: 'string' }, output: { type: 'string', short: 'o' } },
    positionals: ['ID'],
    run: async (request, { values, positionals: [id] }) => {
      if (values.format !== 'dts' && values.format !== 'dtb')
        throw new UsageError('--format dts|dtb is required')
      const exported = (await request('profiles:export', { id, format: values.format })) as {
        content: string
      }
      const body =
        values.format === 'dtb' ? Buffer.from(exported.content, 'base64') : exported.content
      if (typeof values.output === 'string') {
        writeFileSync(values.output, body)
        return ''
      }
      if (values.format === 'dtb')
        throw new UsageError('a .dtb is binary: write it to a file with -o FILE')
      return exported.content
    },
  },
  {
    path: ['profile', 'validate'],
    summary:
      'Check a board for dangling phandles, reg/unit-address problems and (with --kernel) unmatched devices',
    usage: 'modlab profile validate FILE.dtb|FILE.dts|ID [-I DIR]... [--kernel ID] [--json]',
    options: { kernel: { type: 'string' }, include: includeOption, ...json },
    positionals: ['FILE|ID'],
    run: async (request, { values, positionals: [target] }) => {
      const kernel = typeof values.kernel === 'string' ? values.kernel : undefined
      const findings = existsSync(target as string)
        ? validateFile(target as string, includeDirsOf(values), kernel)
        : ((await request('profiles:validate', {
            id: target,
            ...(kernel ? { kernel } : {}),
          })) as Finding[])
      if (values.json) return asJson(findings)
      const count = (severity: Finding['severity']) =>
        findings.filter((f) => f.severity === severity).length
      const lines = findings.map((f) => `${f.severity.padEnd(8)}${f.path}: ${f.message}\n`).join('')
      const summary = `${count('error')} errors, ${count('warning')} warnings, ${count('info')} notes\n`
      if (count('error') > 0) throw new UserError(`${lines}${summary}`.trimEnd())
      return lines + summary
    },
  },
  {
    path: ['profile', 'delete'],
    summary: 'Delete an imported device profile',
    usage: 'modlab profile delete ID [--json]',
    options: json,
    positionals: ['ID'],
    run: async (request, { values, positionals: [id] }) => {
      const deleted = (await request('profiles:delete', { id })) as { id: string }
      return values.json ? asJson(deleted) : `Deleted profile ${deleted.id}\n`
    },
  },
]
