import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { workerLabRunner } from '../../src-main/hosts/board-runner'
import type { LabBootRequest } from '../../src-main/sessions/lab-engine'

const resources = join(__dirname, '..', '..', 'resources')
const request = (fields: Partial<LabBootRequest> = {}): LabBootRequest => ({
  profile: 'qemu-virt',
  kernel: 'debian-6.12-arm64',
  cmdline: 'console=ttyAMA0',
  seed: 0,
  faults: [],
  resources,
  ...fields,
})

describe("the Lab's machines on a worker thread", () => {
  const runLab = workerLabRunner(resources, { warm: true })
  afterAll(() => runLab.close())

  it('boots while this thread keeps turning, and keeps the machine to type into', async () => {
    let turns = 0
    const turn = setInterval(() => (turns += 1), 1)
    const booted = await runLab({ kind: 'lab-boot', request: request() })
    clearInterval(turn)
    expect(turns).toBeGreaterThan(1)
    expect(booted.outcome.kind).toBe('running')
    expect(booted.records.map((r) => r.text)).toContain('printk: legacy console [ttyAMA0] enabled')

    const shell = await runLab({
      kind: 'lab-shell',
      run: booted.run,
      command: 'rmmod gpio_keys; uname -r',
    })
    expect(shell.lines.map((line) => line.exitCode)).toEqual([0, 0])
    expect(shell.lines[1]?.stdout).toMatch(/^6\.12\./)
    expect(shell.modules.loaded.map((m) => m.name)).not.toContain('gpio_keys')

    await runLab({ kind: 'lab-forget', run: booted.run })
    await expect(runLab({ kind: 'lab-modules', run: booted.run })).rejects.toMatchObject({
      code: 'not-found',
      message: 'this boot is no longer running; boot again',
    })
  })

  it('refuses a bad boot in the user’s words and keeps serving', async () => {
    await expect(
      runLab({ kind: 'lab-boot', request: request({ faults: ['rtc-pl031:fail:EWHAT'] }) }),
    ).rejects.toMatchObject({ code: 'invalid-request', message: /unknown errno EWHAT/ })
    await expect(
      runLab({ kind: 'lab-boot', request: request({ profile: 'no-such-board' }) }),
    ).rejects.toMatchObject({ code: 'not-found', message: /unknown profile "no-such-board"/ })
    const booted = await runLab({ kind: 'lab-boot', request: request({ seed: 7 }) })
    expect(booted.outcome.kind).toBe('running')
  })

  it('stops a boot past its deadline and says so', async () => {
    const hurried = workerLabRunner(resources, { deadlineMs: 1 })
    await expect(hurried({ kind: 'lab-boot', request: request() })).rejects.toMatchObject({
      code: 'invalid-request',
      message: 'booting qemu-virt took longer than 0.001 s to finish and was stopped',
    })
    await hurried.close()
  })

  it('gives a what-if the deadline of one boot per board it compares on', async () => {
    const hurried = workerLabRunner(resources, { deadlineMs: 1 })
    const whatIf = (profiles: string[] | 'all') =>
      hurried({
        kind: 'lab-whatif',
        request: {
          profiles,
          kernel: 'debian-6.12-arm64',
          changes: { CONFIG_ARM_SMMU: 'm' },
          series: [],
          load: { kind: 'coldplug' },
          resources,
          imported: {},
        },
      })
    await expect(whatIf(['db845c', 'hikey960'])).rejects.toThrow(
      'the what-if took longer than 0.002 s to finish and was stopped',
    )
    await expect(whatIf('all')).rejects.toThrow(
      'the what-if took longer than 0.006 s to finish and was stopped',
    )
    await hurried.close()
  })
})
