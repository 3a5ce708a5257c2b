import { NSEC_PER_SEC } from '../kernel/clock'
import { formatText } from '../kernel/dmesg-format'
import { strerror } from '../linux/errno'
import { DMESG_LEVEL_NAMES } from '../linux/log-levels'
import type { LogRecord } from '../kernel/printk'
import { resolveFile } from './files'
import { grep } from './grep'
import { depmodCommand, insmod, lsmod, modinfo, resolvePath, rmmod } from './kmod-tools'
import { modprobe } from './modprobe'
import { splitCommands, splitPipeline, tokenize } from './shell-syntax'
import { headOrTail, wc, type FilterInput } from './text-filters'
import { uname } from './uname'
import { fail, ok, type System, type ToolResult } from './system'

export { splitCommands, tokenize } from './shell-syntax'

/** One command as run: what it printed, its exit status, and the kernel lines it caused. */
export interface CommandRecord extends ToolResult {
  command: string
  kernelLines: string[]
}

const LEVEL_NAMES: Record<string, number> = Object.fromEntries(
  DMESG_LEVEL_NAMES.map((name, level) => [name, level]),
)

export const SHELL_COMMANDS = [
  'cat',
  'depmod',
  'dmesg',
  'echo',
  'grep',
  'head',
  'help',
  'insmod',
  'ls',
  'lsmod',
  'modinfo',
  'modprobe',
  'rmmod',
  'sleep',
  'tail',
  'uname',
  'wc',
] as const

const HELP = `Commands (kmod and busybox behaviour, on the simulated kernel):
  insmod FILE [param=value...]       load exactly that .ko
  modprobe [-r] [-n] [-q] [-f] [--first-time] [--show-depends] NAME [param=value...]
  rmmod [-f] NAME...                  unload (force needs CONFIG_MODULE_FORCE_UNLOAD)
  lsmod                               loaded modules, newest first
  modinfo [-F FIELD] NAME|FILE        a module's .modinfo
  depmod [-a] [-n]                    regenerate (or print) /lib/modules/<release>/modules.*
  dmesg [-c] [-C] [-l LEVEL[,LEVEL]]  the kernel log
  cat FILE / ls DIR                   /proc/modules, /sys/module/<m>/{refcnt,initstate,holders/},
                                      /sys/bus/platform/drivers/<d>/, /sys/kernel/debug/devices_deferred,
                                      /lib/modules/<release>/modules.*, /proc/cmdline
  echo DEVICE > /sys/bus/platform/drivers/<d>/{bind,unbind}
  sleep SECONDS                       advance simulated time (timers such as the deferred probe timeout fire)
  uname [-amnrsv]                     system information (-a all, -r release, -m machine)
Pipelines (CMD | CMD ...; the status is the last one's) and busybox's text filters:
  grep [-cvilLnoqswxEFHh] [-m N] [-e PATTERN] PATTERN [FILE]...
                                      lines matching a basic (-E extended, -F fixed) pattern
  head [-n N | -N | -n -N] [FILE]...  the first lines (-n -N: all but the last N)
  tail [-n N | -N | -n +N] [FILE]...  the last lines (-n +N: from line N)
  wc [-lwcmL] [FILE]...               lines, words, bytes
  e.g.  lsmod | grep -c virtio;  dmesg | grep -i psci | head -1;  cat /proc/modules | wc -l
`

/** The kernel shell: commands run against the System in order; the kernel log is shared. */
export class Shell {
  readonly history: CommandRecord[] = []
  /** dmesg -c clears what dmesg shows, not the ring buffer the Lab records. */
  private dmesgFrom = 0
  cwd = '/'

  constructor(readonly system: System) {}

  run(script: string): CommandRecord[] {
    return splitCommands(script).map((command) => this.runOne(command))
  }

  runOne(command: string): CommandRecord {
    const log = this.system.kernel.log
    const firstRecord = log.records.length
    let result: ToolResult
    try {
      result = this.execute(command)
    } catch (error) {
      result = fail(`sh: ${command}: ${(error as Error).message}\n`, 2)
    }
    const kernelLines = log.records.slice(firstRecord).map((record) => formatText(record))
    const record: CommandRecord = { command, ...result, kernelLines }
    this.history.push(record)
    // Back at the prompt: udevd acts on the devices the command made appear.
    this.system.kernel.uevents.deliver()
    return record
  }

  /** A pipeline: each command's stdout is the next one's stdin; the status is the last one's. */
  private execute(command: string): ToolResult {
    const stages = splitPipeline(command)
    if ('error' in stages) return fail(`sh: syntax error: ${stages.error}\n`, 2)
    let stdin = ''
    let stderr = ''
    let exitCode = 0
    for (const stage of stages) {
      const { words, redirect } = tokenize(stage)
      const [name = '', ...args] = words
      let result = this.dispatch(name, args, stdin)
      if (redirect !== undefined) {
        const written = this.writeFile(resolvePath(redirect, this.cwd), result)
        result = { ...written, stderr: result.stderr + written.stderr }
      }
      stdin = result.stdout
      stderr += result.stderr
      exitCode = result.exitCode
    }
    return { stdout: stdin, stderr, exitCode }
  }

  /** What a filter reads: stdin, or a file of the simulated system. */
  private filterInput(stdin: string): FilterInput {
    return {
      stdin,
      readFile: (path) => {
        const node = resolveFile(this.system, resolvePath(path, this.cwd))
        if (!node) return { error: 'No such file or directory' }
        if (node.kind === 'dir') return { error: 'Is a directory' }
        return { text: node.read() }
      },
    }
  }

  private dispatch(name: string, args: string[], stdin = ''): ToolResult {
    const system = this.system
    switch (name) {
      case 'help':
        return ok(HELP)
      case 'insmod': {
        const [file, ...params] = args
        if (!file) return fail('insmod: ERROR: missing filename.\n')
        return insmod(system, file, params.join(' '), this.cwd)
      }
      case 'modprobe':
        return this.modprobe(args)
      case 'rmmod': {
        const force = args.some((arg) => arg === '-f' || arg === '--force')
        return rmmod(
          system,
          args.filter((arg) => !arg.startsWith('-')),
          force,
        )
      }
      case 'lsmod':
        return lsmod(system)
      case 'modinfo': {
        const fieldAt = args.findIndex((arg) => arg === '-F' || arg === '--field')
        const field = fieldAt >= 0 ? args[fieldAt + 1] : undefined
        const targets = args.filter(
          (arg, i) => !arg.startsWith('-') && (fieldAt < 0 || i !== fieldAt + 1),
        )
        if (targets.length === 0) return fail('modinfo: ERROR: missing module or filename.\n')
        return targets.map((target) => modinfo(system, target, field, this.cwd)).reduce(merge)
      }
      case 'depmod':
        return depmodCommand(system, args.includes('-n') || args.includes('--show'))
      case 'dmesg':
        return this.dmesg(args)
      case 'cat':
        if (args.length === 0) return ok(stdin)
        return args.map((path) => (path === '-' ? ok(stdin) : this.cat(path))).reduce(merge, ok())
      case 'grep':
        return grep(args, this.filterInput(stdin))
      case 'head':
      case 'tail':
        return headOrTail(name, args, this.filterInput(stdin))
      case 'wc':
        return wc(args, this.filterInput(stdin))
      case 'ls':
        return this.ls(args[0] ?? this.cwd)
      case 'echo':
        return ok(`${args.filter((arg) => arg !== '-n').join(' ')}${args[0] === '-n' ? '' : '\n'}`)
      case 'sleep':
        return this.sleep(args[0])
      case 'uname':
        return uname(system.kernel.inputs.profile, args)
      case '':
        return ok()
      default:
        return fail(`sh: ${name}: not found\n`, 127)
    }
  }

  private modprobe(args: string[]): ToolResult {
    const flags = new Set(args.filter((arg) => arg.startsWith('-')))
    const [target, ...params] = args.filter((arg) => !arg.startsWith('-'))
    if (!target) return fail('modprobe: ERROR: missing parameters. See -h.\n')
    const has = (...names: string[]): boolean => names.some((flag) => flags.has(flag))
    const showDepends = has('-D', '--show-depends')
    return modprobe(this.system, target, params.join(' '), {
      remove: has('-r', '--remove'),
      showDepends,
      dryRun: showDepends || has('-n', '--dry-run', '--show'),
      firstTime: has('--first-time'),
      force: has('-f', '--force'),
      quiet: has('-q', '--quiet'),
      verbose: has('-v', '--verbose'),
    })
  }

  private dmesg(args: string[]): ToolResult {
    const records = this.system.kernel.log.records
    const levelAt = args.findIndex((arg) => arg === '-l' || arg === '--level')
    let allowed: Set<number> | undefined
    if (levelAt >= 0) {
      const names = (args[levelAt + 1] ?? '').split(',')
      const unknown = names.find((level) => LEVEL_NAMES[level] === undefined)
      if (unknown !== undefined) return fail(`dmesg: unknown level '${unknown}'\n`)
      allowed = new Set(names.map((level) => LEVEL_NAMES[level] as number))
    }
    const shown = records
      .slice(this.dmesgFrom)
      .filter((record: LogRecord) => !allowed || allowed.has(record.level))
    const out = args.includes('-C') ? '' : shown.map((record) => `${formatText(record)}\n`).join('')
    if (args.includes('-c') || args.includes('-C')) this.dmesgFrom = records.length
    return ok(out)
  }

  private cat(path: string): ToolResult {
    const node = resolveFile(this.system, resolvePath(path, this.cwd))
    if (!node) return fail(`cat: can't open '${path}': No such file or directory\n`)
    if (node.kind === 'dir') return fail(`cat: read error: Is a directory\n`)
    return ok(node.read())
  }

  private ls(path: string): ToolResult {
    const node = resolveFile(this.system, resolvePath(path, this.cwd))
    if (!node) return fail(`ls: ${path}: No such file or directory\n`)
    if (node.kind === 'file') return ok(`${path}\n`)
    const entries = node.list()
    return ok(entries.length > 0 ? `${entries.join('\n')}\n` : '')
  }

  private writeFile(path: string, result: ToolResult): ToolResult {
    const node = resolveFile(this.system, path)
    if (!node) return fail(`sh: can't create ${path}: nonexistent directory\n`)
    if (node.kind === 'dir') return fail(`sh: can't create ${path}: Is a directory\n`)
    if (!node.write) return fail(`sh: can't create ${path}: Permission denied\n`)
    const ret = node.write(result.stdout)
    if (ret < 0) return fail(`sh: write error: ${strerror(ret)}\n`)
    return ok()
  }

  private sleep(value: string | undefined): ToolResult {
    const seconds = Number(value)
    if (value === undefined || !Number.isFinite(seconds) || seconds < 0)
      return fail(`sleep: invalid number '${value ?? ''}'\n`)
    const kernel = this.system.kernel
    const until = kernel.clock.now + Math.round(seconds * NSEC_PER_SEC)
    kernel.timers.run(until)
    kernel.clock.advance(until - kernel.clock.now)
    return ok()
  }
}

function merge(a: ToolResult, b: ToolResult): ToolResult {
  return {
    stdout: a.stdout + b.stdout,
    stderr: a.stderr + b.stderr,
    exitCode: b.exitCode || a.exitCode,
  }
}
