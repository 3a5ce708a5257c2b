import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type {
  ProfileDetail,
  ProfileFinding,
  ProfileSummary,
  TreeData,
} from '../../src-main/api/contract'
import { createAppContext } from '../../src-main/hosts/app-context'
import { useTempDir } from '../store/helpers'
import { call } from './helpers'

const tempDir = useTempDir()
const FIXTURES = join(__dirname, '..', 'hardware', 'dts-fixtures')
const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8')

describe('device profiles from sources, and edited ones', () => {
  it('imports a .dts, asking for each include it lacks, and keeps its labels', async () => {
    const context = createAppContext({ host: 'cli', dataDir: tempDir() })
    const files: Record<string, string> = {}
    const request = () => ({
      name: 'Fixture board',
      fileName: 'board.dts',
      dts: read('board.dts'),
      includeDirs: ['I0', 'I1'],
      includeFiles: files,
    })
    const available: Record<string, string> = {
      'I0/soc.dtsi': read('soc.dtsi'),
      'I0/extra.dtsi': read('extra.dtsi'),
      'I1/dt-bindings/acme/clock.h': read('include/dt-bindings/acme/clock.h'),
    }
    const asked: string[] = []
    for (;;) {
      const result = await context.dispatch('profiles:import', request())
      if (result.ok) break
      const missing = result.error.missingInclude
      expect(missing, result.error.message).toBeDefined()
      asked.push(missing!.name)
      const found = missing!.searched.find((path) => path in available)
      expect(found, `${missing!.name} in ${missing!.searched.join(', ')}`).toBeDefined()
      files[found!] = available[found!]!
    }
    expect(asked).toEqual(['soc.dtsi', 'dt-bindings/acme/clock.h', 'extra.dtsi'])
    const detail = await call<ProfileDetail>(context, 'profiles:tree', { id: 'fixture-board' })
    expect(detail.summary).toMatchObject({ model: 'ACME Test Board', builtIn: false })
    const soc = detail.tree.root.children.find((node) => node.name === 'soc@0')!
    expect(soc.labels).toEqual(['soc'])
    const exported = await call<{ content: string }>(context, 'profiles:export', {
      id: 'fixture-board',
      format: 'dts',
    })
    expect(exported.content).toContain('uart0: serial@3000 {')
  })

  it("an import's summary, read where the tree was parsed, is what a later listing reads from the stored blob", async () => {
    const dataDir = tempDir()
    const context = createAppContext({ host: 'cli', dataDir })
    const dtb = readFileSync(
      join(__dirname, '..', '..', 'resources', 'profiles', 'rpi4b', 'board.dtb'),
    )
    const imported = await call<ProfileSummary>(context, 'profiles:import', {
      name: 'Pi copy',
      fileName: 'pi.dtb',
      dtb: dtb.toString('base64'),
    })
    expect(imported).toMatchObject({ nodeCount: 267, cpuCount: 4, model: 'Raspberry Pi 4 Model B' })
    context.close()
    const reopened = createAppContext({ host: 'cli', dataDir })
    const listed = await call<ProfileSummary[]>(reopened, 'profiles:list', {})
    expect(listed.find((summary) => summary.id === imported.id)).toEqual(imported)
    reopened.close()
  })

  it('reports a syntax error with its place', async () => {
    const context = createAppContext({ host: 'cli', dataDir: tempDir() })
    const result = await context.dispatch('profiles:import', {
      name: 'Broken',
      fileName: 'broken.dts',
      dts: '/dts-v1/;\n/ {\n\tmodel = "x"\n};\n',
    })
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-request',
        message: "broken.dts:4:1: expected ';' after the property model",
      },
    })
  })

  it('clones a built-in, saves edits, validates an unsaved tree, and refuses to change built-ins', async () => {
    const dataDir = tempDir()
    const context = createAppContext({ host: 'cli', dataDir })
    const virt = await call<ProfileDetail>(context, 'profiles:tree', { id: 'qemu-virt' })
    const clone = await call<ProfileSummary>(context, 'profiles:create', {
      name: 'My virt',
      tree: virt.tree,
    })
    expect(clone).toMatchObject({
      id: 'my-virt',
      builtIn: false,
      nodeCount: virt.summary.nodeCount,
    })

    const edited: TreeData = structuredClone(virt.tree)
    edited.root.properties.find((property) => property.name === 'model')!.value =
      Buffer.from('Edited board\0').toString('hex')
    // A dangling phandle: interrupt-parent pointing at a node that does not exist.
    edited.root.properties.find((property) => property.name === 'interrupt-parent')!.value =
      '0000beef'
    const findings = await call<ProfileFinding[]>(context, 'profiles:validate', { tree: edited })
    expect(findings).toContainEqual(
      expect.objectContaining({ severity: 'error', message: expect.stringContaining('0xbeef') }),
    )
    const saved = await call<ProfileSummary>(context, 'profiles:save', {
      id: 'my-virt',
      name: 'My virt',
      description: 'edited',
      bootargs: 'console=ttyAMA0',
      tree: edited,
    })
    expect(saved).toMatchObject({ model: 'Edited board', description: 'edited' })
    const reopened = createAppContext({ host: 'cli', dataDir })
    expect(
      (await call<ProfileDetail>(reopened, 'profiles:tree', { id: 'my-virt' })).summary.model,
    ).toBe('Edited board')

    const refused = await context.dispatch('profiles:save', {
      id: 'qemu-virt',
      name: 'x',
      description: '',
      bootargs: '',
      tree: edited,
    })
    expect(refused).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('built-in profiles are read-only') },
    })
    const bad = await context.dispatch('profiles:save', {
      id: 'my-virt',
      name: 'x',
      description: '',
      bootargs: '',
      tree: { ...edited, root: { ...edited.root, properties: [{ name: 'x', value: 'zz' }] } },
    })
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } })
  })
})
