import { cpSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type {
  BootResult,
  ExportedSession,
  ProfileSummary,
  SessionRecord,
  TreeData,
} from '../../src-main/api/contract'
import { useTempDir } from '../store/helpers'
import { call, openContext, recordVirtSession, replay, type Context } from './helpers'

const tempDir = useTempDir()

const exported = async (context: Context, id: number) =>
  (await call<ExportedSession>(context, 'sessions:export', { id })).content

describe('export and import', () => {
  it('round-trips a session to a fresh data directory, where it replays identical', async () => {
    const source = openContext(tempDir())
    const { session } = await recordVirtSession(source)
    const content = await exported(source, session.id)
    source.close()
    const file = JSON.parse(content) as { format: string; version: number; checksum: string }
    expect(file).toMatchObject({ format: 'modlab-session', version: 1 })
    expect(file.checksum).toMatch(/^sha256:[0-9a-f]{64}$/)

    const target = openContext(tempDir())
    const imported = await call<SessionRecord>(target, 'sessions:import', { content })
    expect(imported).toMatchObject({ name: 'virt with gpio_keys', boots: 1 })
    const report = await replay(target, imported.id)
    expect(report).toMatchObject({ identical: true, replayed: 4 })
    const events = (text: string) =>
      (JSON.parse(text) as { content: { events: { createdAt?: string }[] } }).content.events.map(
        ({ createdAt: _, ...event }) => event,
      )
    expect(events(await exported(target, imported.id))).toEqual(events(content))
    target.close()
  })

  it('refuses a tampered, truncated or newer file, naming what is wrong, and stores nothing', async () => {
    const context = openContext(tempDir())
    const { session } = await recordVirtSession(context)
    const content = await exported(context, session.id)
    const counts = () => ({
      sessions: context.store.sessions.list().length,
      events: context.store.events.count(session.id),
      boots: context.store.boots.countBySession().size,
    })
    const before = counts()
    const refused = (text: string) => call(context, 'sessions:import', { content: text })

    await expect(refused(content.replace('rmmod gpio_keys', 'rmmod virtio_mmio'))).rejects.toThrow(
      /the session export is refused: its content does not match its checksum: the file was changed after it was exported/,
    )
    await expect(refused(content.slice(0, content.length / 2))).rejects.toThrow(
      /not a complete JSON file, truncated or damaged/,
    )
    await expect(refused(content.replace('"version":1', '"version":2'))).rejects.toThrow(
      'written by a newer modlab (export format 2; this modlab reads up to 1)',
    )
    await expect(refused('{"format":"something-else"}')).rejects.toThrow(
      /not a modlab session export \(format "something-else"/,
    )
    expect(counts()).toEqual(before)
    context.close()
  })

  it('refuses a file whose snapshot does not match its hash, even with a fixed-up checksum', async () => {
    const { createHash } = await import('node:crypto')
    const source = openContext(tempDir())
    const { session } = await recordVirtSession(source)
    const file = JSON.parse(await exported(source, session.id)) as {
      checksum: string
      content: { snapshots: { body: string; name: string; hash: string }[] }
    }
    const profile = file.content.snapshots.find((s) => s.name === 'qemu-virt')!
    const kept = source.store.events.snapshot(profile.hash)!.body
    const { gzipSync } = await import('node:zlib')
    profile.body = gzipSync(
      JSON.stringify({ origin: 'folder', files: { 'board.dtb': 'AAAA' } }),
    ).toString('base64')
    file.checksum = `sha256:${createHash('sha256').update(JSON.stringify(file.content)).digest('hex')}`

    const target = openContext(tempDir())
    await expect(
      call(target, 'sessions:import', { content: JSON.stringify(file) }),
    ).rejects.toThrow(/snapshot of profile "qemu-virt" does not match its hash/)
    expect(target.store.sessions.list()).toHaveLength(0)
    target.close()

    // Where the snapshot is already kept, the file's copy is not read: the kept one is used, unchanged.
    const imported = await call<SessionRecord>(source, 'sessions:import', {
      content: JSON.stringify(file),
    })
    expect(source.store.events.snapshot(profile.hash)!.body).toEqual(kept)
    expect(await replay(source, imported.id)).toMatchObject({ identical: true })
    source.close()
  })
})

describe('snapshots', () => {
  it('a profile edited after the recording does not change what the session replays', async () => {
    const context = openContext(tempDir())
    const virt = readFileSync(
      join(__dirname, '..', '..', 'resources', 'profiles', 'qemu-virt', 'board.dtb'),
    )
    const profile = await call<ProfileSummary>(context, 'profiles:import', {
      name: 'my virt',
      fileName: 'virt.dtb',
      dtb: virt.toString('base64'),
    })
    const session = await call<SessionRecord>(context, 'sessions:create', { name: 'edited later' })
    const boot = await call<BootResult>(context, 'lab:boot', {
      sessionId: session.id,
      profile: profile.id,
      kernel: 'debian-6.1-arm64',
      cmdline: 'console=ttyAMA0',
      seed: 0,
    })
    expect(boot.devices.some((device) => device.name === '9010000.pl031')).toBe(true)

    const { tree } = await call<{ tree: TreeData }>(context, 'profiles:tree', { id: profile.id })
    tree.root.children = tree.root.children.filter((node) => !node.name.startsWith('pl031'))
    await call(context, 'profiles:save', {
      id: profile.id,
      name: 'my virt',
      description: '',
      bootargs: '',
      tree,
    })
    const now = await call<BootResult>(context, 'lab:boot', {
      sessionId: (await call<SessionRecord>(context, 'sessions:create', { name: 'now' })).id,
      profile: profile.id,
      kernel: 'debian-6.1-arm64',
      cmdline: 'console=ttyAMA0',
      seed: 0,
    })
    expect(now.devices.some((device) => device.name === '9010000.pl031')).toBe(false)
    expect(await replay(context, session.id)).toMatchObject({ identical: true, replayed: 1 })
    context.close()
  })
})

describe('kernel snapshots', () => {
  it('a kernel deleted after the recording is replayed from the snapshot the session kept', async () => {
    const dir = tempDir()
    const kernels = join(dir, 'kernels')
    cpSync(
      join(__dirname, '..', '..', 'resources', 'kernels', 'debian-6.1-arm64'),
      join(kernels, 'my-6.1'),
      {
        recursive: true,
      },
    )
    const context = openContext(dir)
    const session = await call<SessionRecord>(context, 'sessions:create', { name: 'my kernel' })
    await call<BootResult>(context, 'lab:boot', {
      sessionId: session.id,
      profile: 'qemu-virt',
      kernel: 'my-6.1',
      cmdline: 'console=ttyAMA0',
      seed: 0,
    })
    rmSync(join(kernels, 'my-6.1'), { recursive: true })
    await expect(
      call(context, 'lab:boot', {
        sessionId: session.id,
        profile: 'qemu-virt',
        kernel: 'my-6.1',
        cmdline: '',
        seed: 0,
      }),
    ).rejects.toThrow(/unknown kernel "my-6.1"/)
    const report = await replay(context, session.id)
    expect(report.divergence).toBeUndefined()
    expect(report).toMatchObject({ identical: true, replayed: 1 })
    context.close()
  })
})

// The scratch folders a replay writes snapshots to are removed after it.
it('leaves no scratch folder behind', () => {
  expect(readdirSync(tmpdir()).filter((name) => name.startsWith('modlab-replay-'))).toEqual([])
})
