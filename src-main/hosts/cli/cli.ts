import { parseArgs } from 'node:util'
import { StoreError } from '../../store/database'
import { appVersion, defaultDataDir } from '../../paths'
import { createAppContext, type AppContext } from '../app-context'
import { COMMANDS, type Command } from './commands'
import { UsageError, UserError } from './errors'

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  env: NodeJS.ProcessEnv
}

export const EXIT_OK = 0
export const EXIT_USER_ERROR = 1
export const EXIT_USAGE = 2

const GLOBAL_OPTIONS = `Global options:
  --data-dir DIR   where modlab keeps its database (default: $XDG_DATA_HOME/modlab or ~/.local/share/modlab)
  -h, --help       show help for modlab or for a command
  --version        print modlab's version`

const GLOBAL_OPTION_TYPES = {
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const

/** Every option of every command: a lenient first pass finds the command words among them. */
const ALL_OPTIONS = Object.assign({}, ...COMMANDS.map((c) => c.options), GLOBAL_OPTION_TYPES)

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length))
  const lines = COMMANDS.map(
    (c) => `  ${c.usage.slice('modlab '.length).padEnd(width - 7)}  ${c.summary}`,
  )
  return `modlab: a lab for Linux boot and kernel-module experiments\n\nUsage: modlab [--data-dir DIR] <command> [options]\n\nCommands:\n${lines.join('\n')}\n\n${GLOBAL_OPTIONS}\n`
}

function groupHelp(group: string): string {
  const commands = COMMANDS.filter((c) => c.path[0] === group)
  return `Usage:\n${commands.map((c) => `  ${c.usage}\n      ${c.summary}`).join('\n')}\n\n${GLOBAL_OPTIONS}\n`
}

function commandHelp(command: Command): string {
  return `Usage: ${command.usage}\n\n${command.summary}.\n\n${GLOBAL_OPTIONS}\n`
}

/** Runs one CLI invocation and returns its exit code; it never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const first = parseArgs({
    args: argv,
    options: ALL_OPTIONS,
    allowPositionals: true,
    strict: false,
  })
  const words = first.positionals
  const [group, verb] = words
  const wantsHelp = first.values.help === true
  if (first.values.version === true) {
    io.stdout(`modlab ${appVersion()}\n`)
    return EXIT_OK
  }
  if (!group) {
    ;(wantsHelp ? io.stdout : io.stderr)(mainHelp())
    return wantsHelp ? EXIT_OK : EXIT_USAGE
  }
  const inGroup = COMMANDS.filter((c) => c.path[0] === group)
  if (inGroup.length === 0) return usage(io, `unknown command "${group}"`, mainHelp())
  const command = inGroup.find((c) => c.path.length === 1 || c.path[1] === verb)
  if (!command) {
    if (wantsHelp && !verb) {
      io.stdout(groupHelp(group))
      return EXIT_OK
    }
    return usage(
      io,
      verb ? `unknown command "${group} ${verb}"` : `"${group}" needs a command`,
      groupHelp(group),
    )
  }
  if (wantsHelp) {
    io.stdout(commandHelp(command))
    return EXIT_OK
  }
  return runCommand(command, argv, io)
}

async function runCommand(command: Command, argv: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...command.options, ...GLOBAL_OPTION_TYPES },
      allowPositionals: true,
      strict: true,
    })
  } catch (error) {
    return usage(io, (error as Error).message, commandHelp(command))
  }
  const positionals = parsed.positionals.slice(command.path.length)
  if (positionals.length !== command.positionals.length) {
    const expected =
      command.positionals.length === 0 ? 'no arguments' : command.positionals.join(' ')
    return usage(io, `"${command.path.join(' ')}" takes ${expected}`, commandHelp(command))
  }

  const dataDir = (parsed.values['data-dir'] as string | undefined) ?? defaultDataDir(io.env)
  let context: AppContext | undefined
  try {
    context = createAppContext({ host: 'cli', dataDir, logInternalError: () => {} })
    const dispatch = context.dispatch
    const request = async (channel: string, body: unknown) => {
      const result = await dispatch(channel, body)
      if (!result.ok) throw new UserError(result.error.message)
      return result.value
    }
    const output = await command.run(
      request,
      { values: parsed.values as Record<string, string | boolean>, positionals },
      context.store,
      (text) => io.stderr(text),
    )
    if (typeof output === 'string') io.stdout(output)
    else {
      io.stdout(output.stdout)
      io.stderr(output.stderr)
      if (output.exitCode !== undefined) return output.exitCode
    }
    return EXIT_OK
  } catch (error) {
    if (error instanceof UsageError) return usage(io, error.message, commandHelp(command))
    if (error instanceof UserError || error instanceof StoreError) {
      io.stderr(`modlab: ${error.message}\n`)
      return EXIT_USER_ERROR
    }
    io.stderr(`modlab: internal error: ${error instanceof Error ? error.stack : String(error)}\n`)
    return EXIT_USER_ERROR
  } finally {
    context?.close()
  }
}

function usage(io: CliIo, problem: string, help: string): number {
  io.stderr(`modlab: ${problem}\n\n${help}`)
  return EXIT_USAGE
}
