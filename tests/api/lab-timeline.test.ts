import { describe, expect, it } from 'vitest'
import type { BootResult, TimelineWindow } from '../../src-main/api/contract'
import { createAppContext } from '../../src-main/hosts/app-context'
import { useTempDir } from '../store/helpers'

const tempDir = useTempDir()

describe('lab:timeline', () => {
  it('pages a window of the trace, with the modules a shell command loaded and unloaded', async () => {
    const context = createAppContext({ host: 'cli', dataDir: tempDir() })
    const session = context.store.sessions.create('timeline and graph')
    const booted = await context.dispatch('lab:boot', {
      sessionId: session.id,
      profile: 'qemu-virt',
      kernel: 'debian-6.12-arm64',
      cmdline: 'console=ttyAMA0',
      seed: 0,
    })
    if (!booted.ok) throw new Error(booted.error.message)
    const { bootId } = booted.value as BootResult
    const window = async (request: Record<string, unknown>) => {
      const reply = await context.dispatch('lab:timeline', { bootId, ...request })
      if (!reply.ok) throw new Error(reply.error.message)
      return reply.value as TimelineWindow
    }
    const before = await window({ buckets: 100 })
    expect(before.lanes.map((lane) => lane.name)).toEqual([
      'initcalls',
      'probes',
      'deferrals',
      'modules',
    ])
    expect(before.inWindow).toBe(before.total)
    expect(before.density).toHaveLength(4)
    expect(before.density.every((lane) => lane.length === 100)).toBe(true)

    const shell = await context.dispatch('lab:shell', {
      bootId,
      command: 'modprobe dummy; rmmod dummy',
    })
    expect(shell.ok).toBe(true)
    const after = await window({ fromNs: before.endNs, toNs: before.endNs + 60e9, buckets: 10 })
    const modules = after.events.filter((event) => event.kind === 'module')
    expect(
      modules.map((event) => event.kind === 'module' && `${event.op} ${event.module}`),
    ).toEqual(['load dummy', 'unload dummy'])
    expect(modules.every((event) => after.lanes[event.lane]?.name === 'modules')).toBe(true)
    expect(after.total).toBe(before.total + 3)

    const refused = await context.dispatch('lab:timeline', { bootId, fromNs: 5, toNs: 1 })
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
    expect(!refused.ok && refused.error.message).toContain('fromNs must be before toNs')
    context.close()
  })
})
