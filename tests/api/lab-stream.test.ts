import { describe, expect, it } from 'vitest'
import { createConnection } from '../../src-main/api/connection'
import type { KernelRecord, LabStreamBatch, LabWatch } from '../../src-main/api/contract'
import {
  LabStreams,
  STREAM_INTERVAL_MS,
  STREAM_RECORDS,
} from '../../src-main/api/services/lab-stream'
import { createAppContext } from '../../src-main/hosts/app-context'
import { useTempDir } from '../store/helpers'
import { call, sessionOf } from './helpers'

const tempDir = useTempDir()

/** A page as the hosts make one: every pushed batch kept, with when it came; `leaveAfter` batches, it goes away. */
function page(leaveAfter = Infinity) {
  const batches: { at: number; batch: LabStreamBatch }[] = []
  const { connection, close } = createConnection(({ event, payload }) => {
    expect(event).toBe('lab:stream')
    batches.push({ at: performance.now(), batch: payload as LabStreamBatch })
    if (batches.length >= leaveAfter) close()
  })
  return { batches, connection, close }
}

async function bootVirt(context: ReturnType<typeof createAppContext>) {
  return call<{ bootId: number; recordCount: number; deviceCount: number }>(context, 'lab:boot', {
    sessionId: sessionOf(context),
    profile: 'qemu-virt',
    kernel: 'debian-6.1-arm64',
    cmdline: 'console=ttyAMA0 initcall_debug',
    seed: 0,
  })
}

async function watch(
  context: ReturnType<typeof createAppContext>,
  connection: ReturnType<typeof page>['connection'],
  request: object,
) {
  const result = await context.dispatch('lab:watch', request, connection)
  if (!result.ok) throw new Error(result.error.message)
  return result.value as LabWatch
}

describe('lab:watch', () => {
  it('pushes the whole log and the devices in batches at most about 60 a second', async () => {
    const context = createAppContext({ host: 'cli', dataDir: tempDir() })
    const boot = await bootVirt(context)
    expect(boot.recordCount).toBeGreaterThan(STREAM_RECORDS)
    const { batches, connection } = page()
    const started = await watch(context, connection, { bootId: boot.bootId, from: 0 })
    expect(started).toMatchObject({ recordCount: boot.recordCount, deviceCount: boot.deviceCount })
    await expect.poll(() => batches.at(-1)?.batch.done, { timeout: 20_000 }).toBe(true)

    const records = batches.flatMap(({ batch }) => batch.records)
    const all = await call<KernelRecord[]>(context, 'lab:records', {
      bootId: boot.bootId,
      from: 0,
      count: 10_000,
    })
    expect(records).toEqual(all)
    expect(batches.flatMap(({ batch }) => batch.devices)).toHaveLength(boot.deviceCount)
    expect(batches.every(({ batch }) => batch.records.length <= STREAM_RECORDS)).toBe(true)
    expect(batches.every(({ batch }) => batch.watch === started.watch)).toBe(true)
    for (let i = 1; i < batches.length; i++)
      expect(batches[i]!.at - batches[i - 1]!.at).toBeGreaterThanOrEqual(STREAM_INTERVAL_MS - 0.5)
    context.close()
  })

  it('continues from where the page is, and a new watch ends the last one', async () => {
    const context = createAppContext({ host: 'cli', dataDir: tempDir() })
    const boot = await bootVirt(context)
    const { batches, connection } = page()
    const first = await watch(context, connection, { bootId: boot.bootId, from: 0 })
    const from = boot.recordCount - 10
    const second = await watch(context, connection, {
      bootId: boot.bootId,
      from,
      devicesFrom: boot.deviceCount,
    })
    await expect.poll(() => batches.at(-1)?.batch.done, { timeout: 20_000 }).toBe(true)
    // The first watch was ended before its first batch was due.
    expect(batches.map(({ batch }) => batch.watch)).toEqual([second.watch])
    expect(second.watch).not.toBe(first.watch)
    expect(batches[0]!.batch).toMatchObject({ from, devices: [], done: true })
    expect(batches[0]!.batch.records.map((record) => record.seq)).toEqual(
      Array.from({ length: 10 }, (_, i) => from + i),
    )
    context.close()
  })

  it('stops when the page goes away', async () => {
    const context = createAppContext({ host: 'cli', dataDir: tempDir() })
    const boot = await bootVirt(context)
    const { batches, connection } = page(1)
    await watch(context, connection, { bootId: boot.bootId, from: 0 })
    await expect.poll(() => connection.closed, { timeout: 20_000 }).toBe(true)
    const sent = batches.length
    // A watch after the close is answered, and nothing is pushed for it either.
    await watch(context, connection, { bootId: boot.bootId, from: 0 })
    await bootVirt(context)
    expect(sent).toBe(1)
    expect(batches.length).toBe(sent)
    expect(batches[0]!.batch.done).toBe(false)
    context.close()
  })

  it('refuses an unknown boot, and a caller it cannot push to', async () => {
    const context = createAppContext({ host: 'cli', dataDir: tempDir() })
    const { connection } = page()
    expect(await context.dispatch('lab:watch', { bootId: 999, from: 0 }, connection)).toMatchObject(
      { ok: false, error: { code: 'not-found', message: 'no boot with id 999' } },
    )
    expect(await context.dispatch('lab:watch', { bootId: 1, from: 0 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', message: expect.stringContaining('pushes to a page') },
    })
    expect(await context.dispatch('lab:watch', { bootId: 1, from: -1 }, connection)).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    })
    context.close()
  })

  it('paces a long log to one batch per interval, each page apart', async () => {
    const log = Array.from({ length: 5 * STREAM_RECORDS + 7 }, (_, seq) => ({
      seq,
      ns: seq * 1000,
      stamp: '',
      level: 6,
      text: `line ${seq}`,
    }))
    const source = {
      bootId: 1,
      from: 0,
      devicesFrom: 0,
      recordCount: log.length,
      readRecords: (from: number, count: number) => log.slice(from, from + count),
      devices: [],
    }
    const streams = new LabStreams()
    const [a, b] = [page(), page()]
    streams.watch(a.connection, source)
    streams.watch(b.connection, source)
    expect(streams.active).toBe(2)
    await expect.poll(() => streams.active, { timeout: 20_000 }).toBe(0)
    for (const { batches } of [a, b]) {
      expect(batches).toHaveLength(6)
      expect(batches.flatMap(({ batch }) => batch.records)).toEqual(log)
      for (let i = 1; i < batches.length; i++)
        expect(batches[i]!.at - batches[i - 1]!.at).toBeGreaterThanOrEqual(STREAM_INTERVAL_MS - 0.5)
    }
  })
})
