import { describe, expect, it } from 'vitest'
import type { BootRecordRow } from '../../src-main/store/boots-repository'
import { openStore } from '../../src-main/store/database'
import { useTempDir } from './helpers'

const tempDir = useTempDir()

const inputs = {
  profile: 'qemu-virt',
  kernel: 'debian-6.1-arm64',
  cmdline: 'console=ttyAMA0',
  seed: 7,
  faults: ['pl061_gpio:defer:2'],
  engineVersion: '0.2.0',
  outcome: 'running: /init is running',
}

describe('boots repository', () => {
  it('records a boot with all its records, and lists them back in order', () => {
    const store = openStore(tempDir())
    const session = store.sessions.create('timers')
    const records: BootRecordRow[] = Array.from({ length: 500 }, (_, seq) => ({
      seq,
      timestampNs: seq * 1000,
      level: 6,
      text: `line ${seq}`,
    }))
    records[3] = { ...records[3]!, device: '9000000.pl011' }
    const boot = store.boots.record({ ...inputs, sessionId: session.id }, records)
    expect(boot).toMatchObject({
      id: 1,
      sessionId: session.id,
      faults: ['pl061_gpio:defer:2'],
      records: 500,
    })
    expect(store.boots.records(boot.id)).toEqual(records)
    expect(store.boots.list(session.id)).toHaveLength(1)
    expect(store.boots.countBySession().get(session.id)).toBe(1)
    store.close()
  })

  it('writes nothing when a record is refused, and deleting a session deletes its boots', () => {
    const store = openStore(tempDir())
    const session = store.sessions.create('x')
    expect(() =>
      store.boots.record({ ...inputs, sessionId: session.id }, [
        { seq: 0, timestampNs: 0, level: 6, text: 'a' },
        { seq: 0, timestampNs: 0, level: 6, text: 'duplicate seq' },
      ]),
    ).toThrow('kernel record seq 0 comes after seq 0')
    expect(store.boots.list(session.id)).toEqual([])
    store.boots.record({ ...inputs, sessionId: session.id }, [
      { seq: 0, timestampNs: 0, level: 6, text: 'a' },
    ])
    store.sessions.delete(session.id)
    expect(store.boots.countBySession().size).toBe(0)
    store.close()
  })

  it('pages records by seq across chunks, gaps in the seqs and commands included', () => {
    const store = openStore(tempDir())
    const session = store.sessions.create('paging')
    // 2,500 records: three chunks, the seqs rising by 2 past 1,800, a device on every 7th.
    const records: BootRecordRow[] = Array.from({ length: 2500 }, (_, i) => ({
      seq: i < 1800 ? i : 1800 + (i - 1800) * 2,
      timestampNs: i * 1_000_003,
      level: i % 8,
      text: i === 5 ? 'quotes " and \\ and a\nnewline, ünïcode' : `line ${i}`,
      ...(i % 7 === 0 ? { device: `dev.${i}` } : {}),
    }))
    const boot = store.boots.record({ ...inputs, sessionId: session.id }, records)
    const caused = [4000, 4001, 4005].map((seq) => ({
      seq,
      timestampNs: seq,
      level: 4,
      text: `c${seq}`,
    }))
    store.boots.recordCommand(
      boot.id,
      { command: 'x', stdout: '', stderr: '', exitCode: 0 },
      caused,
    )
    const all = [...records, ...caused]
    expect(store.boots.get(boot.id)?.records).toBe(2503)
    expect(store.boots.records(boot.id)).toEqual(all)
    const bySeq = (from: number, count: number) => all.filter((r) => r.seq >= from).slice(0, count)
    for (const [from, count] of [
      [0, 10],
      [1000, 100], // across the first chunk's end
      [1023, 2],
      [1801, 5], // a seq that is not stored: from the next one
      [3000, 10], // inside the gap between the boot and the command
      [3990, 50],
      [4005, 1],
      [4006, 10],
      [0, 10_000],
    ] as const)
      expect(store.boots.recordsPage(boot.id, from, count), `from ${from}`).toEqual(
        bySeq(from, count),
      )
    expect(store.boots.recordsPage(boot.id, 10, 0)).toEqual([])
    store.close()
  })

  it("refuses records out of seq order, and a command whose records come before the boot's last", () => {
    const store = openStore(tempDir())
    const session = store.sessions.create('order')
    const at = (seq: number) => ({ seq, timestampNs: 0, level: 6, text: `s${seq}` })
    expect(() => store.boots.record({ ...inputs, sessionId: session.id }, [at(1), at(0)])).toThrow(
      'kernel record seq 0 comes after seq 1',
    )
    const boot = store.boots.record({ ...inputs, sessionId: session.id }, [at(0), at(1)])
    const command = { command: 'x', stdout: '', stderr: '', exitCode: 0 }
    expect(() => store.boots.recordCommand(boot.id, command, [at(1)])).toThrow(
      'kernel record seq 1 comes after seq 1',
    )
    expect(() =>
      store.boots.record({ ...inputs, sessionId: session.id }, [{ ...at(0), level: 300 }]),
    ).toThrow('kernel record seq 0 has level 300')
    expect(store.boots.commands(boot.id)).toEqual([])
    expect(store.boots.records(boot.id)).toEqual([at(0), at(1)])
    expect(store.boots.list(session.id)).toHaveLength(1)
    store.close()
  })
})
