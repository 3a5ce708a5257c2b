import { readFileSync, statSync, writeFileSync } from 'node:fs'
import type {
  BootDiffReport,
  DiffReport,
  ExportedSession,
  ReplayReport,
  SessionEvent,
  SessionRecord,
} from '../../api/contract'
import type { Command } from './commands'
import { UsageError, UserError } from './errors'
import { asJson, formatTimestamp, json, table } from './format'

/** `sessions replay` and `sessions diff` exit 1 when they find a difference, as diff(1) does. */
const EXIT_DIFFERENT = 1

export function parseId(text: string | undefined, what = 'ID'): number {
  if (!text || !/^[1-9]\d{0,15}$/.test(text))
    throw new UsageError(
      `${what} must be a positive whole number, got ${JSON.stringify(text ?? '')}`,
    )
  return Number(text)
}

/** `--session ID`: the session a boot or a run is recorded in (boot, run, and later whatif take it). */
export const sessionOption = { session: { type: 'string' } } as const

export function sessionFrom(values: Record<string, unknown>): number | undefined {
  return values.session === undefined ? undefined : parseId(String(values.session), '--session')
}

async function allEvents(request: Parameters<Command['run']>[0], id: number) {
  const events: SessionEvent[] = []
  for (;;) {
    const page = (await request('sessions:events', {
      id,
      from: events.length,
      count: 10_000,
    })) as SessionEvent[]
    events.push(...page)
    if (page.length < 10_000) return events
  }
}

function outcomeOf(event: SessionEvent): string {
  const result = event.result as {
    outcome?: string
    records?: number
    exitCode?: number
    recordCount?: number
  }
  if (event.kind === 'shell')
    return `exit ${result.exitCode}${result.recordCount ? `, ${result.recordCount} kernel records` : ''}`
  if (result.outcome !== undefined) return `${result.outcome}, ${result.records} kernel records`
  return ''
}

export function formatReplay(report: ReplayReport, name: string): string {
  const lines = [
    `Replayed session ${report.sessionId} "${name}": ${report.replayed} of ${report.events} actions on engine ${report.engine}`,
  ]
  if (report.otherEngine)
    lines.push(
      `note: recorded by engine ${report.recordedWith.join(', ')}, not ${report.engine}; replayed anyway, differences below`,
    )
  const skipped = report.steps.filter((step) => step.status === 'skipped')
  for (const step of skipped) lines.push(`skipped action ${step.event}: ${step.note}`)
  const first = report.divergence
  if (!first) {
    lines.push('identical: every kernel record, tool output and exit code')
    return `${lines.join('\n')}\n`
  }
  lines.push(
    `diverged at action ${first.event} (${first.kind}): ${first.what}`,
    `  expected: ${first.expected}`,
    `  got:      ${first.got}`,
  )
  const more = report.differences.slice(1)
  if (more.length > 0)
    lines.push(
      `${more.length} more action${more.length === 1 ? '' : 's'} differ: ${more
        .map((d) => `${d.event} (${d.what})`)
        .join(', ')}`,
    )
  return `${lines.join('\n')}\n`
}

function formatBootDiff(diff: BootDiffReport): string {
  const parts = [`== boot ${diff.a} against boot ${diff.b}`]
  parts.push(
    diff.dmesg
      ? `-- dmesg (timestamps set aside):\n${diff.dmesg.trimEnd()}`
      : '-- dmesg: the same (timestamps set aside)',
  )
  parts.push(
    diff.devices.length === 0
      ? '-- devices: the same states'
      : `-- devices that differ:\n${diff.devices
          .map((d) => `  ${d.name}: ${d.a ?? '(absent)'} -> ${d.b ?? '(absent)'}`)
          .join('\n')}`,
  )
  parts.push(
    diff.modules.length === 0
      ? '-- modules: the same loaded'
      : `-- modules loaded on one side only:\n${diff.modules
          .map((m) => `  ${m.a ? '-' : '+'} ${m.name}`)
          .join('\n')}`,
  )
  return `${parts.join('\n')}\n`
}

const differs = (diff: BootDiffReport) =>
  diff.dmesg !== '' || diff.devices.length > 0 || diff.modules.length > 0

function sessionsTable(sessions: SessionRecord[]): string {
  if (sessions.length === 0)
    return 'No sessions. Create one with: modlab sessions create --name NAME\n'
  return table(
    ['ID', 'NAME', 'CREATED (UTC)', 'UPDATED (UTC)'],
    sessions.map((s) => [
      String(s.id),
      s.name,
      formatTimestamp(s.createdAt),
      formatTimestamp(s.updatedAt),
    ]),
    [0],
  )
}

export const SESSIONS_COMMANDS: Command[] = [
  {
    path: ['sessions', 'list'],
    summary: 'List the saved sessions, newest first',
    usage: 'modlab sessions list [--json]',
    options: json,
    positionals: [],
    run: async (request, { values }) => {
      const sessions = (await request('sessions:list', {})) as SessionRecord[]
      return values.json ? asJson(sessions) : sessionsTable(sessions)
    },
  },
  {
    path: ['sessions', 'create'],
    summary: 'Create a session',
    usage: 'modlab sessions create --name NAME [--json]',
    options: { name: { type: 'string' }, ...json },
    positionals: [],
    run: async (request, { values }) => {
      if (values.name === undefined) throw new UsageError('--name NAME is required')
      const session = (await request('sessions:create', { name: values.name })) as SessionRecord
      return values.json ? asJson(session) : `Created session ${session.id}: ${session.name}\n`
    },
  },
  {
    path: ['sessions', 'rename'],
    summary: 'Rename a session',
    usage: 'modlab sessions rename ID NAME [--json]',
    options: json,
    positionals: ['ID', 'NAME'],
    run: async (request, { values, positionals: [id, name] }) => {
      const session = (await request('sessions:rename', { id: parseId(id), name })) as SessionRecord
      return values.json ? asJson(session) : `Renamed session ${session.id}: ${session.name}\n`
    },
  },
  {
    path: ['sessions', 'delete'],
    summary: 'Delete a session',
    usage: 'modlab sessions delete ID [--json]',
    options: json,
    positionals: ['ID'],
    run: async (request, { values, positionals: [id] }) => {
      const deleted = (await request('sessions:delete', { id: parseId(id) })) as { id: number }
      return values.json ? asJson(deleted) : `Deleted session ${deleted.id}\n`
    },
  },
  {
    path: ['sessions', 'show'],
    summary: "List a session's actions in order, each with what it produced",
    usage: 'modlab sessions show ID [--json]',
    options: json,
    positionals: ['ID'],
    run: async (request, { values, positionals: [id] }) => {
      const events = await allEvents(request, parseId(id))
      if (values.json) return asJson(events)
      if (events.length === 0) return 'No actions recorded in this session yet.\n'
      return events
        .map(
          (event) => `${String(event.seq).padStart(5)}  ${event.summary}  => ${outcomeOf(event)}\n`,
        )
        .join('')
    },
  },
  {
    path: ['sessions', 'replay'],
    summary:
      'Re-run a session on this engine and compare every kernel record, tool output and exit code; exits 0 when identical, 1 at the first divergence',
    usage: 'modlab sessions replay ID [--json]',
    options: json,
    positionals: ['ID'],
    run: async (request, { values, positionals: [text] }) => {
      const id = parseId(text)
      const sessions = (await request('sessions:list', {})) as SessionRecord[]
      const report = (await request('sessions:replay', { id })) as ReplayReport
      const name = sessions.find((session) => session.id === id)?.name ?? ''
      const stdout = values.json ? asJson(report) : formatReplay(report, name)
      return { stdout, stderr: '', exitCode: report.identical ? 0 : EXIT_DIFFERENT }
    },
  },
  {
    path: ['sessions', 'diff'],
    summary:
      'Compare two sessions (their actions, and their boots in order) or, with --boots, two boots: dmesg as a unified diff with timestamps set aside, devices and modules that differ; exits 1 when they differ',
    usage: 'modlab sessions diff A B [--boots] [--json]',
    options: { boots: { type: 'boolean', default: false }, ...json },
    positionals: ['A', 'B'],
    run: async (request, { values, positionals: [a, b] }) => {
      const body = values.boots
        ? { bootA: parseId(a, 'A'), bootB: parseId(b, 'B') }
        : { a: parseId(a, 'A'), b: parseId(b, 'B') }
      const report = (await request('sessions:diff', body)) as DiffReport
      const different =
        report.kind === 'boots'
          ? differs(report.boots)
          : report.actions.length > 0 || report.boots.some(differs)
      const exitCode = different ? EXIT_DIFFERENT : 0
      if (values.json) return { stdout: asJson(report), stderr: '', exitCode }
      if (report.kind === 'boots')
        return { stdout: formatBootDiff(report.boots), stderr: '', exitCode }
      const actions =
        report.actions.length === 0
          ? `== sessions ${report.a} and ${report.b}: the same actions\n`
          : `== actions that differ (session ${report.a} | session ${report.b}):\n${report.actions
              .map(
                (x) =>
                  `  ${x.event}: ${x.a ?? '(none)'}\n  ${' '.repeat(String(x.event).length)}| ${x.b ?? '(none)'}`,
              )
              .join('\n')}\n`
      return { stdout: actions + report.boots.map(formatBootDiff).join(''), stderr: '', exitCode }
    },
  },
  {
    path: ['sessions', 'export'],
    summary:
      'Write a session to one file (its actions, results, boots and the profile and kernel snapshots it needs, with a checksum)',
    usage: 'modlab sessions export ID -o FILE',
    options: { output: { type: 'string', short: 'o' } },
    positionals: ['ID'],
    run: async (request, { values, positionals: [id] }) => {
      if (typeof values.output !== 'string') throw new UsageError('-o FILE is required')
      const exported = (await request('sessions:export', { id: parseId(id) })) as ExportedSession
      try {
        writeFileSync(values.output, exported.content)
      } catch (error) {
        throw new UserError(`cannot write ${values.output}: ${(error as Error).message}`)
      }
      const { content } = JSON.parse(exported.content) as {
        content: { events: unknown[]; boots: unknown[]; snapshots: unknown[] }
      }
      return `Exported session ${id} to ${values.output}: ${content.events.length} actions, ${content.boots.length} boots, ${content.snapshots.length} snapshots (${(Buffer.byteLength(exported.content) / 1024 / 1024).toFixed(1)} MiB)\n`
    },
  },
  {
    path: ['sessions', 'import'],
    summary:
      'Import a session export as a new session; a tampered, truncated or newer file is refused and nothing is stored',
    usage: 'modlab sessions import FILE [--json]',
    options: json,
    positionals: ['FILE'],
    run: async (request, { values, positionals: [file] }) => {
      let content: string
      try {
        if (statSync(file as string).size > 256 * 1024 * 1024)
          throw new UserError(`${file} is larger than a session export can be (256 MiB)`)
        content = readFileSync(file as string, 'utf8')
      } catch (error) {
        if (error instanceof UserError) throw error
        throw new UserError(
          `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        )
      }
      let session: SessionRecord
      try {
        session = (await request('sessions:import', { content })) as SessionRecord
      } catch (error) {
        throw new UserError(`${file}: ${(error as Error).message}`)
      }
      return values.json
        ? asJson(session)
        : `Imported ${file} as session ${session.id}: ${session.name} (${session.boots} boots)\n`
    },
  },
]
