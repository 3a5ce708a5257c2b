// Sessions at scale: how fast the recorder stores events (against a peer timed in the same run),
// and how long a replay of a 100,000-event session takes (one boot of QEMU virt, then 99,999
// shell lines typed into it).
// Alone: `npx tsx bench/sessions.ts`.
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
// eslint-disable-next-line no-restricted-imports -- the peer is better-sqlite3 used straight, by definition
import Database from 'better-sqlite3'
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
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!

const benchRecords = (count: number): PlainRecord[] =>
  Array.from({ length: count }, (_, seq) => ({
    seq,
    timestampNs: seq * 1000,
    level: 6 as const,
    facility: 0,
    text: `bench_driver bench.${seq % 977}: probe of device ${seq} took ${seq % 13} ms`,
    ...(seq % 3 === 0 ? { device: `bench.${seq % 977}` } : {}),
  }))

/** Wall and CPU milliseconds of `work`. */
function timed(work: () => void): { ms: number; cpuMs: number } {
  const cpu = process.cpuUsage()
  const start = performance.now()
  work()
  const ms = performance.now() - start
  const { user, system } = process.cpuUsage(cpu)
  return { ms, cpuMs: (user + system) / 1000 }
}

/** A boot's kernel records, each an event of the session, stored as the recorder stores a boot. */
function recordBoot(recorder: SessionRecorder, sessionId: number, records: PlainRecord[]) {
  recorder.recordBoot(
    sessionId,
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
    { outcome: 'running', records: records.length },
    records,
    [],
  )
}

/**
 * The peer, timed in the same run so that the ratio survives a loaded machine: the same rows
 * inserted straight with better-sqlite3, a row per record through one prepared statement in one
 * transaction, into a table shaped as modlab's kernel log was before it was chunked (schema 6).
 */
function peerInserts(db: Database.Database, bootId: number, records: PlainRecord[]) {
  const insert = db.prepare(
    'INSERT INTO boot_records (boot_id, seq, timestamp_ns, level, text, device) VALUES (?, ?, ?, ?, ?, ?)',
  )
  db.transaction(() => {
    for (const r of records)
      insert.run(bootId, r.seq, r.timestampNs, r.level, r.text, r.device ?? null)
  })()
}

function recordingThroughput(dir: string) {
  const store = openStore(dir)
  const recorder = new SessionRecorder(store, { resources: RESOURCES })
  const session = store.sessions.create('bench: recording')
  const peer = new Database(join(dir, 'peer.db'))
  peer.pragma('journal_mode = WAL')
  peer.exec(`CREATE TABLE boot_records (boot_id INTEGER NOT NULL, seq INTEGER NOT NULL,
    timestamp_ns INTEGER NOT NULL, level INTEGER NOT NULL, text TEXT NOT NULL, device TEXT,
    PRIMARY KEY (boot_id, seq)) STRICT, WITHOUT ROWID`)
  const warmUp = benchRecords(20_000)
  recordBoot(recorder, session.id, warmUp)
  peerInserts(peer, 0, warmUp)
  const records = benchRecords(RECORDS)
  const ours: { ms: number; cpuMs: number }[] = []
  const theirs: { ms: number; cpuMs: number }[] = []
  for (let round = 1; round <= ROUNDS; round++) {
    ours.push(timed(() => recordBoot(recorder, session.id, records)))
    theirs.push(timed(() => peerInserts(peer, round, records)))
  }
  peer.close()
  store.close()
  const ms = median(ours.map((r) => r.ms))
  const peerMs = median(theirs.map((r) => r.ms))
  return {
    ms,
    perSecond: RECORDS / (ms / 1000),
    perCpuSecond: RECORDS / (median(ours.map((r) => r.cpuMs)) / 1000),
    peerMs,
    peerPerSecond: RECORDS / (peerMs / 1000),
    ratio: peerMs / ms,
  }
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
    const load = loadavg()[0]!.toFixed(1)
    const recording = recordingThroughput(dir)
    const replay = await replayTime(dir)
    const ok = recording.perSecond >= 500_000
    const rate = (perSecond: number) => Math.round(perSecond).toLocaleString('en')
    return [
      `sessions: recording ${RECORDS.toLocaleString('en')} kernel-record events (median of ${ROUNDS}, load average ${load}): ${recording.ms.toFixed(0)} ms, ${rate(recording.perSecond)} events/s (${rate(recording.perCpuSecond)} per CPU second)`,
      `sessions: peer, the same rows inserted a row each by better-sqlite3 in one transaction: ${recording.peerMs.toFixed(0)} ms, ${rate(recording.peerPerSecond)} events/s; the recorder is ${recording.ratio.toFixed(1)}x the peer`,
      `target: recording >= 500,000 events/s: ${ok ? 'met' : 'MISSED'}`,
      `sessions: replay of a ${replay.events.toLocaleString('en')}-event session (1 boot, ${(replay.events - 1).toLocaleString('en')} shell lines): ${(replay.ms / 1000).toFixed(2)} s, ${replay.identical ? 'identical' : 'DIVERGED'} (recording them: ${(replay.recordMs / 1000).toFixed(2)} s)`,
      ...(replay.identical ? [] : ['target: replay identical: MISSED']),
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (require.main === module) void benchSessions().then((lines) => console.log(lines.join('\n')))
