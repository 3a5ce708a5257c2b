import type { ParseArgsConfig } from 'node:util'
import type { Store } from '../../store/database'
import { bootCommand } from './boot-command'
import { devicesCommand } from './devices-command'
import { KERNEL_COMMANDS } from './kernel-commands'
import { PROFILE_COMMANDS } from './profile-commands'
import { modaliasCommand, runCommand } from './run-command'
import { SERIES_COMMANDS } from './series-commands'
import { SESSIONS_COMMANDS } from './sessions-commands'
import { whatifCommand } from './whatif-command'

/** What a command asks of the app: one request through the dispatcher, its value or a thrown CliError. */
export type Request = (channel: string, request: unknown) => Promise<unknown>

export interface CommandArgs {
  values: Record<string, string | boolean | undefined>
  positionals: string[]
}

export interface Command {
  /** The command words: `boot`, or a group and a verb like `sessions create`. */
  path: [string] | [string, string]
  summary: string
  usage: string
  options: NonNullable<ParseArgsConfig['options']>
  positionals: string[]
  /** What to print: stdout, or stdout with a note for stderr. */
  run(
    request: Request,
    args: CommandArgs,
    store: Store,
    /** Progress for the terminal (stderr), as the work goes. */
    progress: (text: string) => void,
  ): Promise<string | { stdout: string; stderr: string; exitCode?: number }>
}

export const COMMANDS: Command[] = [
  bootCommand,
  runCommand,
  modaliasCommand,
  devicesCommand,
  ...KERNEL_COMMANDS,
  ...SERIES_COMMANDS,
  whatifCommand,
  ...PROFILE_COMMANDS,
  ...SESSIONS_COMMANDS,
]
