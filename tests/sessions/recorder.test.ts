import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { SessionEvent } from '../../src-main/api/contract'
import { DATABASE_FILE_NAME } from '../../src-main/store/database'
import { ENGINE_VERSION } from '../../src-main/kernel/version'
import { changeStoredTexts, useTempDir } from '../store/helpers'
import { call, openContext, recordVirtSession, replay } from './helpers'

const tempDir = useTempDir()

describe('the session recorder', () => {
  it('records a boot with all its inputs, then each shell line with its results, in order', async () => {
    const context = openContext(tempDir())
    const { session, boot } = await recordVirtSession(context)
    const events = await call<SessionEvent[]>(context, 'sessions:events', { id: session.id })
    expect(events.map((event) => [event.seq, event.kind, event.summary])).toEqual([
      [
        0,
        'boot',
        'boot qemu-virt on debian-6.1-arm64 "console=ttyAMA0", seed 3, fault rtc-pl031:fail:EIO',
      ],
      [1, 'shell', 'shell: rmmod gpio_keys'],
      [2, 'shell', 'shell: lsmod'],
      [3, 'shell', 'shell: modprobe gpio_keys'],
    ])
    expect(events[0]).toMatchObject({
      engineVersion: ENGINE_VERSION,
      bootId: boot.bootId,
      action: { seed: 3, faults: ['rtc-pl031:fail:EIO'], series: [], config: {} },
      result: { records: boot.recordCount, outcome: 'running: /init is running' },
    })
    const action = events[0]!.action as { profileHash: string; kernelHash: string }
    expect(action.profileHash).toMatch(/^[0-9a-f]{64}$/)
    expect(action.kernelHash).toMatch(/^[0-9a-f]{64}$/)
    expect(events[3]).toMatchObject({ action: { via: 'panel' }, result: { exitCode: 0 } })
    expect((events[2]!.result as { stdout: string }).stdout).toMatch(/^Module\s+Size\s+Used by/)
    expect(
      context.store.events
        .snapshots(session.id)
        .map((s) => s.kind)
        .sort(),
    ).toEqual(['kernel', 'profile'])
    context.close()
  })

  it('refuses a boot into no session or an unknown one: the Lab never creates one', async () => {
    const context = openContext(tempDir())
    const inputs = { profile: 'qemu-virt', kernel: 'debian-6.1-arm64', cmdline: '', seed: 0 }
    await expect(call(context, 'lab:boot', inputs)).rejects.toThrow(/sessionId/)
    await expect(call(context, 'lab:boot', { ...inputs, sessionId: 9 })).rejects.toThrow(
      'no session with id 9',
    )
    expect(context.store.sessions.list()).toEqual([])
    context.close()
  })

  it('keeps a snapshot as long as a session refers to it', async () => {
    const context = openContext(tempDir())
    const { session } = await recordVirtSession(context, 'one')
    const other = await recordVirtSession(context, 'two')
    const hashes = context.store.events.snapshots(session.id).map((s) => s.hash)
    await call(context, 'sessions:delete', { id: session.id })
    for (const hash of hashes) expect(context.store.events.hasSnapshot(hash)).toBe(true)
    await call(context, 'sessions:delete', { id: other.session.id })
    for (const hash of hashes) expect(context.store.events.hasSnapshot(hash)).toBe(false)
    context.close()
  })
})

describe('replay', () => {
  it('re-runs every action and finds every record, output and exit code identical', async () => {
    const context = openContext(tempDir())
    const { session } = await recordVirtSession(context)
    const report = await replay(context, session.id)
    expect(report).toMatchObject({ identical: true, events: 4, replayed: 4, otherEngine: false })
    expect(report.steps.map((step) => step.status)).toEqual(Array(4).fill('identical'))
    const partial = await replay(context, session.id, 1)
    expect(partial).toMatchObject({ identical: true, events: 4, replayed: 2 })
    context.close()
  })

  it('reports the first divergence: which action, which record, expected and got', async () => {
    const dir = tempDir()
    const context = openContext(dir)
    const { session, boot } = await recordVirtSession(context)
    context.close()
    // What a changed engine would do: the stored record 200 of the boot no longer matches.
    const file = join(dir, DATABASE_FILE_NAME)
    const [original] = changeStoredTexts(
      file,
      boot.bootId,
      (seq) => seq === 200,
      () => 'tampered',
    )
    const db = new Database(file)
    db.prepare(
      "UPDATE session_events SET result = json_set(result, '$.exitCode', 7) WHERE session_id = ? AND seq = 3",
    ).run(session.id)
    db.close()
    const reopened = openContext(dir)
    const report = await replay(reopened, session.id)
    expect(report.identical).toBe(false)
    expect(report.divergence).toMatchObject({
      event: 0,
      kind: 'boot',
      what: `kernel record 201 of ${boot.recordCount} (seq 200)`,
    })
    expect(report.divergence?.expected).toMatch(/\] tampered$/)
    expect(report.divergence?.got).toContain(original)
    expect(report.differences[1]).toMatchObject({
      event: 3,
      what: 'exit code',
      expected: '7',
      got: '0',
    })
    reopened.close()
  })

  it('says when the session was recorded by another engine version, and replays it anyway', async () => {
    const dir = tempDir()
    const context = openContext(dir)
    const { session } = await recordVirtSession(context)
    context.close()
    const db = new Database(join(dir, DATABASE_FILE_NAME))
    db.prepare("UPDATE session_events SET engine_version = '0.0.1-old'").run()
    db.close()
    const reopened = openContext(dir)
    const report = await replay(reopened, session.id)
    expect(report).toMatchObject({ otherEngine: true, identical: true, replayed: 4 })
    expect(report.recordedWith).toEqual(['0.0.1-old'])
    reopened.close()
  })
})
