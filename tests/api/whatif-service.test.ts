import { describe, expect, it } from 'vitest'
import { createAppContext } from '../../src-main/hosts/app-context'
import { useTempDir } from '../store/helpers'
import { call } from './helpers'
import type { WhatIfResult } from '../../src-main/api/contract'

const tempDir = useTempDir()

describe('whatif:run through the dispatcher', () => {
  it('answers the MediaTek timer question with its series, as the CLI does', async () => {
    const context = createAppContext({ dataDir: tempDir(), host: 'cli' })
    const result = await call<WhatIfResult>(context, 'whatif:run', {
      profiles: ['mt8183-pumpkin'],
      kernel: 'debian-6.12-arm64',
      changes: { CONFIG_MTK_TIMER: 'm' },
      series: ['mediatek-2023-timer-modules'],
    })
    expect(result.verdicts[0]?.items.map((item) => item.code)).toContain('kconfig-selected')
    expect(result.boards[0]?.diff.modules.loaded).toEqual(['timer_mediatek'])
    context.close()
  })

  it('records a what-if in the session it names, and replay asks it again and finds it identical', async () => {
    const context = createAppContext({ dataDir: tempDir(), host: 'cli' })
    const session = await call<{ id: number }>(context, 'sessions:create', { name: 'smmu' })
    await call<WhatIfResult>(context, 'whatif:run', {
      sessionId: session.id,
      profiles: ['db845c'],
      kernel: 'debian-6.12-arm64',
      changes: { CONFIG_ARM_SMMU: 'm' },
    })
    const events = await call<{ kind: string }[]>(context, 'sessions:events', { id: session.id })
    expect(events.map((event) => event.kind)).toEqual(['whatif'])
    const report = await call<{ identical: boolean; replayed: number }>(
      context,
      'sessions:replay',
      { id: session.id },
    )
    expect(report).toMatchObject({ identical: true, replayed: 1 })
    await expect(
      call(context, 'whatif:run', {
        sessionId: 999,
        profiles: ['db845c'],
        kernel: 'debian-6.12-arm64',
        changes: { CONFIG_ARM_SMMU: 'm' },
      }),
    ).rejects.toMatchObject({ code: 'not-found' })
    context.close()
  })

  it('refuses a malformed change, an unknown series and an unknown board with a clear message', async () => {
    const context = createAppContext({ dataDir: tempDir(), host: 'cli' })
    const base = { profiles: ['db845c'], kernel: 'debian-6.12-arm64' }
    await expect(
      call(context, 'whatif:run', { ...base, changes: { CONFIG_ARM_SMMU: 'module' } }),
    ).rejects.toMatchObject({ code: 'invalid-request' })
    await expect(call(context, 'whatif:run', { ...base, changes: {} })).rejects.toMatchObject({
      code: 'invalid-request',
      message: expect.stringMatching(/at least one Kconfig change/),
    })
    await expect(
      call(context, 'whatif:run', {
        ...base,
        changes: { CONFIG_ARM_SMMU: 'm' },
        series: ['no-such-series'],
      }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/no-such-series/) })
    await expect(
      call(context, 'whatif:run', {
        ...base,
        profiles: ['no-such-board'],
        changes: { CONFIG_ARM_SMMU: 'm' },
      }),
    ).rejects.toMatchObject({ code: 'not-found', message: expect.stringMatching(/no-such-board/) })
    context.close()
  })
})
