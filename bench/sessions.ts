// Sessions at scale: how fast the recorder stores events, and how long a replay of a
// 100,000-event session takes (one boot of QEMU virt, then 99,999 shell lines typed into it).
// Alone: `npx tsx bench/sessions.ts`.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApiHandlers } from '../src-main/api/services'
import { loadBuiltinProfiles } from '../src-main/hardware/builtin-profiles'
import { inlineLabRunner, type PlainRecord } from '../src-main/sessions/lab-engine'
import { SessionRecorder } from '../src-main/sessions/recorder'
import { replaySession } from '../src-main/sessions/replay-session'
import { openStore } from '../src-main/store/database'

const ROOT = join(__dirname, '..')
const RESOURCES = join(ROOT, 'resources')
const RECORDS = Number(process.env.BENCH_RECORDS ?? 500_000)
const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000)

/** A boot's kernel records, each an event of the session, stored as the recorder stores a boot. */
function recordingThroughput(dir: string): { perSecond: number; ms: number } {
  const store = openStore(dir)
  const recorder = new SessionRecorder(store, { resources: RESOURCES })
  const session = store.sessions.create('bench: recording')
  const records: PlainRecord[] = Array.from({ length: RECORDS }, (_, seq) => ({
    seq,
    timestampNs: seq * 1000,
    level: 6 as const,
    facility: 0,
    text: `bench_driver bench.${seq % 977}: probe of device ${seq} took ${seq % 13} ms`,
    ...(seq % 3 === 0 ? { device: `bench.${seq % 977}` } : {}),
  }))
  const start = performance.now()
  recorder.recordBoot(
    session.id,
    'boot',
    {
      profile: 'qemu-virt',
      kernel: 'debian-6.1-arm64',
      cmdline: '',
      seed: 0,
      faults: [],
      series: [],
      config: {},
    },
    { outcome: 'running', records: RECORDS },
    records,
    [],
  )
  const ms = performance.now() - start
  store.close()
  return { perSecond: RECORDS / (ms / 1000), ms }
}

async function replayTime(dir: string) {
  const store = openStore(dir)
  const runLab = inlineLabRunner()
  const handlers = createApiHandlers({
    store,
    profiles: loadBuiltinProfiles(join(RESOURCES, 'profiles')),
    appInfo: {
      name: 'modlab',
      version: 'bench',
      host: 'cli',
      dataDir: dir,
      databaseFile: store.file,
      schemaVersion: store.schemaVersion,
    },
    resources: RESOURCES,
    runLab,
  })
  const session = store.sessions.create('bench: replay')
  const boot = await handlers['lab:boot']({
    sessionId: session.id,
    profile: 'qemu-virt',
    kernel: 'debian-6.1-arm64',
    cmdline: 'console=ttyAMA0',
    seed: 0,
    faults: [],
    series: [],
    config: {},
  })
  const commands = ['lsmod', 'cat /proc/modules', 'uname -r', 'echo hello']
  const recorder = new SessionRecorder(store, { resources: RESOURCES })
  // The 99,999 shell lines are recorded as the Lab records them, in batches of one transaction.
  const recordStart = performance.now()
  for (let batch = 0; batch < (EVENTS - 1) / 1000; batch++) {
    const done = await runLab({
      kind: 'lab-step',
      run: 1,
      command: Array.from(
        { length: 1000 },
        (_, i) => commands[(batch * 1000 + i) % commands.length],
      ).join('; '),
    })
    store.transaction(() => {
      for (const { caused, modules, changed, ...line } of done.lines.slice(
        0,
        EVENTS - 1 - batch * 1000,
      ))
        recorder.recordShell(
          boot.bootId,
          { command: line.command, via: 'shell' },
          { ...line, modules, devices: changed },
          caused,
        )
    })
  }
  const recordMs = performance.now() - recordStart
  const events = store.events.count(session.id)
  const start = performance.now()
  const report = await replaySession(store, recorder, runLab, { resources: RESOURCES }, session.id)
  const ms = performance.now() - start
  store.close()
  return { events, ms, recordMs, identical: report.identical }
}

export async function benchSessions(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'modlab-bench-sessions-'))
  try {
    const recording = recordingThroughput(dir)
    const replay = await replayTime(dir)
    const ok = recording.perSecond >= 500_000
    return [
      `sessions: recording ${RECORDS.toLocaleString('en')} kernel-record events in ${recording.ms.toFixed(0)} ms: ${Math.round(recording.perSecond).toLocaleString('en')} events/s`,
      `target: recording >= 500,000 events/s: ${ok ? 'met' : 'MISSED'}`,
      `sessions: replay of a ${replay.events.toLocaleString('en')}-event session (1 boot, ${(replay.events - 1).toLocaleString('en')} shell lines): ${(replay.ms / 1000).toFixed(2)} s, ${replay.identical ? 'identical' : 'DIVERGED'} (recording them: ${(replay.recordMs / 1000).toFixed(2)} s)`,
      ...(replay.identical ? [] : ['target: replay identical: MISSED']),
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (require.main === module) void benchSessions().then((lines) => console.log(lines.join('\n')))
