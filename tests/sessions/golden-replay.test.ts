import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  BootResult,
  KernelRecord,
  ProfileSummary,
  RunRecorded,
  SessionRecord,
} from '../../src-main/api/contract'
import { DATABASE_FILE_NAME } from '../../src-main/store/database'
import { changeStoredTexts } from '../store/helpers'
import { GOLDEN_DIR, goldenScenarioNames, scenarioOf } from '../kernel/golden-scenarios'
import type { Scenario } from '../kernel/golden-scenarios'
import { kernelDir } from '../kernel/helpers'
import { SCENARIOS as IOMMU_SCENARIOS } from '../kernel/iommu/scenarios'
import { TIME_BOARDS, TIME_FILES } from '../kernel/time/boards'
import { call, openContext, replay, type Context } from './helpers'

/**
 * "Replay of every golden scenario's session is identical": each scenario of tests/kernel/golden
 * (the top-level ones, time/ and iommu/) is recorded through the API into a real SQLite file,
 * then replayed. One context for all, so that each kernel is loaded once.
 */
let dataDir: string
let context: Context

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'modlab-golden-replay-'))
  context = openContext(dataDir)
})
afterAll(() => {
  context.close()
  rmSync(dataDir, { recursive: true, force: true })
})

const BASE_FILES = ['boot.json', 'catalog.json.gz', 'catalog-lists.json.gz']

/**
 * The scenario's drivers, config and version on its base kernel, as a user kernel folder: what
 * the golden harness builds in memory. The build's large files are links to the built-in ones.
 */
function scenarioKernel(name: string, scenario: Scenario): string {
  const baseId = scenario.kernel ?? 'debian-6.1-arm64'
  if (!scenario.drivers.length && !Object.keys(scenario.config).length && !scenario.version)
    return baseId
  const base = kernelDir(baseId)
  const id = `golden-${name}`
  const dir = join(dataDir, 'kernels', id)
  mkdirSync(dir, { recursive: true })
  const header = JSON.parse(readFileSync(join(base, 'kernel.json'), 'utf8')) as {
    config: Record<string, string>
    version: [number, number]
  }
  const drivers = JSON.parse(readFileSync(join(base, 'drivers.json'), 'utf8')) as unknown[]
  writeFileSync(
    join(dir, 'kernel.json'),
    JSON.stringify({
      ...header,
      id,
      version: scenario.version ?? header.version,
      config: { ...header.config, ...scenario.config },
    }),
  )
  writeFileSync(join(dir, 'drivers.json'), JSON.stringify([...drivers, ...scenario.drivers]))
  for (const file of BASE_FILES) symlinkSync(join(base, file), join(dir, file))
  return id
}

/** The scenario's `.dts` (on base.dtsi) imported as the user would, or the built-in virt. */
async function scenarioBoard(name: string, scenario: Scenario): Promise<string> {
  if (scenario.board) return scenario.board
  return importBoard(name, readFileSync(join(GOLDEN_DIR, `${name}.dts`), 'utf8'), {
    'base.dtsi': readFileSync(join(GOLDEN_DIR, 'base.dtsi'), 'utf8'),
  })
}

/** Boards imported so far, by source: the store refuses the same board twice. */
const importedBoards = new Map<string, string>()

async function importBoard(name: string, dts: string, includeFiles: Record<string, string> = {}) {
  const known = importedBoards.get(dts)
  if (known) return known
  const imported = await call<ProfileSummary>(context, 'profiles:import', {
    name,
    fileName: `${name}.dts`,
    dts,
    includeFiles,
  })
  importedBoards.set(dts, imported.id)
  return imported.id
}

/** What the Lab fills the command line with: the board's bootargs, as runBoot takes them. */
async function bootargsOf(profile: string): Promise<string> {
  const profiles = await call<ProfileSummary[]>(context, 'profiles:list', {})
  const found = profiles.find((summary) => summary.id === profile)
  if (!found) throw new Error(`no profile ${profile}`)
  return found.bootargs
}

/** `{driver, kind, times}` as the API names a fault: `acme-pmic:defer:2`. */
function faultSpec(fault: { driver: string; kind: string; errno?: string; times?: number }) {
  const value = fault.kind === 'fail' ? fault.errno : fault.kind === 'defer' ? fault.times : 0
  return `${fault.driver}:${fault.kind}:${String(value ?? (fault as { ms?: number }).ms)}`
}

async function allRecords(bootId: number, count: number): Promise<KernelRecord[]> {
  const records: KernelRecord[] = []
  for (let from = 0; from < count; from += 10_000)
    records.push(
      ...(await call<KernelRecord[]>(context, 'lab:records', { bootId, from, count: 10_000 })),
    )
  return records
}

async function expectIdenticalReplay(sessionId: number, events: number) {
  const report = await replay(context, sessionId)
  expect(report.divergence).toBeUndefined()
  expect(report).toMatchObject({ identical: true, events, replayed: events, otherEngine: false })
  expect(report.steps.every((step) => step.status === 'identical')).toBe(true)
}

describe('replay of every golden scenario recorded as a session', () => {
  for (const name of goldenScenarioNames()) {
    it(`${name}.json`, async () => {
      const scenario = scenarioOf(name)
      const session = await call<SessionRecord>(context, 'sessions:create', { name })
      const boot = await call<BootResult>(context, 'lab:boot', {
        sessionId: session.id,
        profile: await scenarioBoard(name, scenario),
        kernel: scenarioKernel(name, scenario),
        cmdline: scenario.cmdline,
        seed: 0,
        faults: scenario.faults.map(faultSpec),
      })
      // The session ran the scenario: the lines its golden checks are among the boot's records.
      const show = scenario.show ? new RegExp(scenario.show) : undefined
      const goldenText = readFileSync(join(GOLDEN_DIR, `${name}.dmesg`), 'utf8')
      const golden = goldenText
        .split('\n')
        .filter((line) => line.startsWith('[') || line.startsWith('<'))
        .map((line) => line.replace(/^(<\d+>)?\[[ \d.]+\] /, ''))
      const texts = new Set(
        (await allRecords(boot.bootId, boot.recordCount)).flatMap((r) => r.text.split('\n')),
      )
      expect(golden.filter((line) => (!show || show.test(line)) && !texts.has(line))).toEqual([])
      const { kind, detail } = boot.outcome
      expect(goldenText).toContain(`# outcome: ${kind}${detail ? `: ${detail}` : ''}\n`)
      let events = 1
      if (scenario.devicesDeferred) {
        await call(context, 'lab:shell', {
          bootId: boot.bootId,
          command: 'cat /sys/kernel/debug/devices_deferred',
        })
        events++
      }
      await expectIdenticalReplay(session.id, events)
    })
  }
})

describe('replay of every SoC timer scenario (golden/time) recorded as a session', () => {
  for (const board of TIME_BOARDS) {
    it(board, async () => {
      const session = await call<SessionRecord>(context, 'sessions:create', { name: board })
      const boot = await call<BootResult>(context, 'lab:boot', {
        sessionId: session.id,
        profile: board,
        kernel: 'debian-6.12-arm64',
        cmdline: await bootargsOf(board),
        seed: 0,
      })
      await call(context, 'lab:shell', {
        bootId: boot.bootId,
        command: TIME_FILES.map((file) => `cat ${file}`).join('; '),
      })
      await expectIdenticalReplay(session.id, 1 + TIME_FILES.length)
    })
  }
})

describe('replay of every arm-smmu scenario (golden/iommu) recorded as a session', () => {
  for (const scenario of IOMMU_SCENARIOS) {
    it(scenario.name, async () => {
      const { profile, kernel, cmdline, config, coldplug } = scenario.request
      const board = profile.endsWith('.dts')
        ? await importBoard(scenario.name, readFileSync(profile, 'utf8'))
        : profile
      const session = await call<SessionRecord>(context, 'sessions:create', {
        name: scenario.name,
      })
      await call<RunRecorded>(context, 'lab:run', {
        sessionId: session.id,
        profile: board,
        kernel,
        cmdline: cmdline ?? (await bootargsOf(board)),
        seed: 0,
        config: config ?? {},
        script: scenario.script ?? 'true',
        ...(scenario.until === undefined ? {} : { until: String(scenario.until) }),
        ...(coldplug ? { coldplug } : {}),
      })
      await expectIdenticalReplay(session.id, 1)
    })
  }
})

describe('a changed engine output', () => {
  it('makes the replay of a golden session report the first divergence: its action and record', async () => {
    const session = await call<SessionRecord>(context, 'sessions:create', { name: 'changed' })
    const boot = await call<BootResult>(context, 'lab:boot', {
      sessionId: session.id,
      profile: 'qemu-virt',
      kernel: 'debian-6.12-arm64',
      cmdline: scenarioOf('virt-6.12').cmdline,
      seed: 0,
    })
    // What the engine printed then differs from what it prints now at record 42, and after.
    changeStoredTexts(
      join(dataDir, DATABASE_FILE_NAME),
      boot.bootId,
      (seq) => seq >= 41,
      (text) => `${text} (changed)`,
    )
    const report = await replay(context, session.id)
    expect(report.identical).toBe(false)
    expect(report.divergence).toMatchObject({
      event: 0,
      kind: 'boot',
      what: `kernel record 42 of ${boot.recordCount} (seq 41)`,
    })
    expect(report.divergence?.expected).toMatch(/ \(changed\)$/)
    expect(report.divergence?.got).not.toMatch(/\(changed\)/)
    expect(report.differences).toHaveLength(1)
  })
})
