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
    ).toThrow(/UNIQUE|PRIMARY/)
    expect(store.boots.list(session.id)).toEqual([])
    store.boots.record({ ...inputs, sessionId: session.id }, [
      { seq: 0, timestampNs: 0, level: 6, text: 'a' },
    ])
    store.sessions.delete(session.id)
    expect(store.boots.countBySession().size).toBe(0)
    store.close()
  })
})
