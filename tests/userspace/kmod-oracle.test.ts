import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ModuleDefinition } from '../../src-main/catalog/module-schema'
import { writeKo } from '../../src-main/catalog/ko-writer'
import { bootWithUserspace } from '../../src-main/sessions/boot-runner'
import { lookup } from '../../src-main/userspace/modprobe'
import { ofModalias } from '../../src-main/userspace/modalias'
import type { Shell } from '../../src-main/userspace/shell'
import { profile, virtTree } from '../kernel/helpers'
import { lacksTools } from '../support/tools'
import { machineInputs } from '../../src-main/sessions/boot-runner'

/**
 * Debian's kmod as the oracle: the simulated module tree is written out as ELF .ko files that
 * carry the same .modinfo and symbol tables, real depmod indexes it, and modlab's depmod files,
 * modprobe answers and modinfo output must equal the real tools' on it.
 */
const mod = (name: string, imports: string[], exports: string[], extra: object = {}) =>
  ModuleDefinition.parse({
    name,
    kconfig: `CONFIG_LAB_${name.toUpperCase()}`,
    path: `kernel/drivers/lab/${name.replaceAll('_', '-')}.ko`,
    info: [
      ['license', 'GPL'],
      ['description', `lab module ${name}`],
    ],
    imports,
    exports: exports.map((symbol) => ({ name: symbol })),
    sizes: { text: 1000 },
    signed: false,
    ...extra,
  })

const LAB_MODULES = [
  mod('top', ['_printk', 'mid_a_fn', 'mid_b_fn'], []),
  mod('mid_a', ['base_fn'], ['mid_a_fn']),
  mod('mid_b', ['base_fn', 'leaf_fn'], ['mid_b_fn']),
  mod('base', [], ['base_fn', 'base_util', 'alpha', 'omega', 'x1', 'x22', 'x333']),
  mod('leaf', [], ['leaf_fn'], {
    info: [
      ['license', 'GPL'],
      ['softdep', 'pre: base post: mid_a'],
    ],
  }),
  mod('deep_user', ['top_never', 'leaf_fn'], []),
]

/**
 * The virt board's modules of the profile and what they need, with its built-in code: the whole
 * tree is compared with kmod on the real .ko files (kmod-real-tree.test.ts); this compares the
 * .ko files modlab writes.
 */
function virtModules(): typeof profile.modules {
  const loadable = profile.modules.filter((m) => profile.config[m.kconfig] === 'm')
  const exporter = new Map(loadable.flatMap((m) => m.exports.map((e) => [e.name, m] as const)))
  const kept = new Set(loadable.filter((m) => VIRT_MODULES.includes(m.name)))
  for (const module of kept)
    for (const symbol of module.imports)
      kept.add(exporter.get(typeof symbol === 'string' ? symbol : symbol.name) ?? module)
  return profile.modules.filter((m) => profile.config[m.kconfig] !== 'm' || kept.has(m))
}
const VIRT_MODULES = ['virtio_mmio', 'qemu_fw_cfg', 'gpio_keys', 'virtio_blk', 'virtio_net']

function bootLab(): Shell {
  const config = { ...profile.config }
  for (const module of LAB_MODULES) config[module.kconfig] = 'm'
  const modules = [...virtModules().map((m) => ({ ...m, signed: false })), ...LAB_MODULES]
  const kernelProfile = { ...profile, config, modules }
  return bootWithUserspace(
    machineInputs(kernelProfile, virtTree, { cmdline: 'console=ttyAMA0', seed: 0 }),
  ).shell
}

function writeTree(shell: Shell): string {
  const system = shell.system
  const root = mkdtempSync(join(tmpdir(), 'modlab-kmod-'))
  const dir = join(root, system.modulesDir)
  for (const file of system.moduleFiles) {
    const path = join(dir, file.def.path)
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, writeKo(file.def, file.info))
  }
  const files = system.depmodFiles as Record<string, string>
  writeFileSync(join(dir, 'modules.order'), files['modules.order'] as string)
  writeFileSync(join(dir, 'modules.builtin'), files['modules.builtin'] as string)
  writeFileSync(join(dir, 'modules.builtin.modinfo'), files['modules.builtin.modinfo'] as string)
  execFileSync('depmod', ['-b', root, system.release])
  return root
}

describe.skipIf(lacksTools('depmod', 'modprobe'))('modlab against Debian kmod', () => {
  const shell = bootLab()
  const system = shell.system
  const root = writeTree(shell)
  const realDir = join(root, system.modulesDir)
  const kmod = (tool: string, args: string[]) => {
    const result = spawnSync(tool, args, { encoding: 'utf8' })
    return { stdout: result.stdout, stderr: result.stderr, status: result.status }
  }

  it('writes the same modules.dep, .alias, .softdep, .symbols and .builtin as depmod', () => {
    const ours = system.depmodFiles as Record<string, string>
    const names = ['modules.dep', 'modules.alias', 'modules.softdep', 'modules.symbols']
    const mismatched = names.filter(
      (name) => readFileSync(join(realDir, name), 'utf8') !== ours[name],
    )
    expect(mismatched).toEqual([])
    expect(ours['modules.dep']).toContain(
      'kernel/drivers/lab/top.ko: kernel/drivers/lab/mid-b.ko kernel/drivers/lab/leaf.ko',
    )
  })

  it('resolves every module, alias and symbol to what modprobe --show-depends loads', () => {
    const names = [
      ...system.moduleFiles.map((file) => file.def.name),
      'mid-a',
      'symbol:leaf_fn',
      'symbol:base_util',
      'amba_pl011',
      'no_such_module',
      ...system.kernel.core.devices.map((device) => ofModalias(device.of)),
    ]
    const differences: string[] = []
    for (const name of names) {
      const real = kmod('modprobe', ['-d', root, '-S', system.release, '--show-depends', name])
      const ours = shell.runOne(`modprobe --show-depends '${name}'`)
      const realOut = real.stdout.replaceAll(root, '')
      const realErr = real.stderr.replaceAll(root, '')
      if (realOut !== ours.stdout || realErr !== ours.stderr || real.status !== ours.exitCode)
        differences.push(
          `${name}\n real: ${realOut}${realErr}[${real.status}]\n ours: ${ours.stdout}${ours.stderr}[${ours.exitCode}]`,
        )
    }
    expect(differences).toEqual([])
    expect(lookup(system, 'of:Nvirtio_mmioT(null)Cvirtio,mmio').kind).toBe('modules')
  })

  it('prints the same modinfo as kmod for every module', () => {
    const differences: string[] = []
    for (const file of system.moduleFiles) {
      const real = kmod('modinfo', ['-b', root, '-k', system.release, file.def.name])
      const ours = shell.runOne(`modinfo ${file.def.name}`)
      if (real.stdout.replaceAll(root, '') !== ours.stdout)
        differences.push(`${real.stdout}\n---\n${ours.stdout}`)
    }
    expect(differences).toEqual([])
  })
})
