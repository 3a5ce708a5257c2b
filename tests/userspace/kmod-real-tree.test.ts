import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadKernelProfile } from '../../src-main/catalog/kernel-profiles'
import type { KernelProfile } from '../../src-main/catalog/kernel-profile-schema'
import { loadBuiltinProfiles } from '../../src-main/hardware/builtin-profiles'
import { bootWithUserspace, machineInputs } from '../../src-main/sessions/boot-runner'
import { deviceReport } from '../../src-main/userspace/device-report'
import { lookup } from '../../src-main/userspace/modprobe'
import { realModulesRoot } from '../support/real-kernel'
import { hasTool } from '../support/tools'

/**
 * Debian's kmod on Debian's real modules trees (6.12 and 6.1) is the oracle for modlab's
 * debian-6.12-arm64 and debian-6.1-arm64 profiles, each generated from the same package: the index
 * files, every module's dependencies, modinfo, and what coldplug loads on each real board.
 */
const root = join(__dirname, '..', '..')
const KERNELS = [
  { id: 'debian-6.12-arm64', modules: 4351 },
  { id: 'debian-6.1-arm64', modules: 3685 },
]
const BOARDS = ['db845c', 'hikey960', 'mt8183-pumpkin', 'pixel6-oriole', 'rpi4b']
const boards = loadBuiltinProfiles(join(root, 'resources', 'profiles'))
const tools = hasTool('depmod') && hasTool('modprobe') && hasTool('modinfo')
if (process.env.CI && !tools)
  throw new Error("kmod's depmod, modprobe and modinfo must be installed in CI")

for (const { id, modules } of KERNELS) {
  const profile = loadKernelProfile(join(root, 'resources', 'kernels', id))
  const release = profile.release
  const realRoot = tools ? realModulesRoot(release) : undefined
  realTreeSuite(profile, realRoot, modules)
}

function realTreeSuite(
  profile: KernelProfile,
  realRoot: string | undefined,
  moduleCount: number,
): void {
  const release = profile.release
  const boot = (board: string) => {
    const found = boards.find((candidate) => candidate.file.id === board)
    if (!found) throw new Error(`no built-in board ${board}`)
    return bootWithUserspace(
      machineInputs(profile, found.tree, {
        cmdline: found.file.bootargs,
        memory: found.file.memory,
      }),
    )
  }

  // `-C /dev/null`: the host's /etc/modprobe.d and kmod's own aliases.conf are not the simulated system's.
  /** Runs kmod once over many arguments (one process per argument would take minutes). */
  function kmodEach(args: (name: string) => string, names: string[]): Map<string, string> {
    const script = names
      .map((name) => `printf '%s\\n' '### ${name}'; ${args(name)} 2>&1; echo "rc=$?"`)
      .join('\n')
    const out = spawnSync('sh', [], {
      input: script,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    }).stdout
    const results = new Map<string, string>()
    for (const chunk of out.split(/^### /m).slice(1)) {
      const newline = chunk.indexOf('\n')
      results.set(
        chunk.slice(0, newline),
        chunk.slice(newline + 1).replaceAll(realRoot as string, ''),
      )
    }
    return results
  }

  describe.skipIf(!realRoot)(`modlab's ${release} against Debian's kmod on the real tree`, () => {
    const dir = join(realRoot as string, 'lib', 'modules', release)
    const { shell } = boot('db845c')
    const system = shell.system

    it('writes modules.dep, .alias, .softdep, .symbols, .devname and .builtin* byte for byte', () => {
      const ours = system.depmodFiles as Record<string, string>
      const names = [
        'modules.dep',
        'modules.alias',
        'modules.softdep',
        'modules.symbols',
        'modules.devname',
        'modules.builtin',
        'modules.builtin.modinfo',
      ]
      expect(names.filter((name) => readFileSync(join(dir, name), 'utf8') !== ours[name])).toEqual(
        [],
      )
      expect(system.moduleFiles.length).toBe(moduleCount)
    })

    it('agrees with modprobe --show-depends for every module', () => {
      const names = system.moduleFiles.map((file) => file.def.name)
      // One modprobe -a prints each name's whole list in turn: the same as one call per module.
      const real = spawnSync(
        'modprobe',
        [
          '-C',
          '/dev/null',
          '-d',
          realRoot as string,
          '-S',
          release,
          '-a',
          '--show-depends',
          ...names,
        ],
        { encoding: 'utf8', maxBuffer: 1 << 28 },
      ).stdout.replaceAll(realRoot as string, '')
      const ours = names.map((name) => shell.runOne(`modprobe --show-depends ${name}`))
      expect(ours.filter((result) => result.exitCode !== 0 || result.stderr)).toEqual([])
      const lines = ours
        .map((result) => result.stdout)
        .join('')
        .split('\n')
      const realLines = real.split('\n')
      const first = lines.findIndex((line, index) => line !== realLines[index])
      expect(
        first < 0 ? [] : [lines.slice(first, first + 3), realLines.slice(first, first + 3)],
      ).toEqual([])
    })

    it('prints what modinfo prints for a sample of modules, signatures included', () => {
      const sample = system.moduleFiles
        .filter((_, index) => index % 97 === 0)
        .map((file) => file.def.name)
      const real = kmodEach((name) => `modinfo -b ${realRoot} -k ${release} ${name}`, sample)
      const differences = sample.filter((name) => {
        const ours = shell.runOne(`modinfo ${name}`)
        return (real.get(name) ?? '') !== `${ours.stdout}rc=${ours.exitCode}\n`
      })
      expect(
        differences.slice(0, 3).map((name) => ({
          real: real.get(name) ?? '',
          ours: shell.runOne(`modinfo ${name}`).stdout,
        })),
      ).toEqual([])
    })

    it.each(BOARDS)('coldplug on %s loads exactly what modprobe -R resolves', (board) => {
      const run = board === 'db845c' ? { shell } : boot(board)
      const report = deviceReport(run.shell.system)
      // A device without a modalias (an AMBA one whose ID is unread) sends udev no uevent.
      const candidates = report.filter(
        (device) => device.match.kind !== 'builtin' && device.modalias !== '',
      )
      const real = kmodEach(
        (alias) => `modprobe -C /dev/null -d ${realRoot} -S ${release} -R '${alias}'`,
        candidates.map((device) => device.modalias),
      )
      const expected = new Set<string>()
      // modprobe -R prints a module once per alias that matches; it is loaded once.
      const differences: string[] = []
      for (const device of candidates) {
        const resolved = [
          ...new Set(
            (real.get(device.modalias) ?? '')
              .split('\n')
              .filter((line) => line && !line.startsWith('rc=') && !line.includes(' ')),
          ),
        ]
        const found = lookup(run.shell.system, device.modalias)
        const ours = found.kind === 'modules' ? found.files.map((file) => file.def.name) : []
        if (ours.join(',') !== resolved.join(','))
          differences.push(`${device.name}: ours ${ours.join(',')} kmod ${resolved.join(',')}`)
        for (const module of ours) expected.add(module)
      }
      expect(differences).toEqual([])
      const loaded = new Set(run.shell.system.loader?.list.map((module) => module.def.name) ?? [])
      expect([...expected].filter((module) => !loaded.has(module))).toEqual([])
    })
  })
}
