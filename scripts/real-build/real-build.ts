#!/usr/bin/env tsx
// Generates resources/real-build/<series>.json: what a real 6.12 build says when each driver of
// scripts/real-build/drivers.json is built as a module, with Debian's arm64 headers, kbuild tools
// and the cross compiler (see scripts/real-build/toolchain.sh and the README, "Real build
// verdicts"). Per driver: its Kconfig facts, its registration macros, and per build (plain, with
// the *_OF_DECLARE init code kept, and -fkeep-static-functions as a cross-check) modpost's
// messages, every undefined symbol of each .ko and its section sizes; each needed symbol
// classified (export, vmlinux section from the real System.map, definition in the source); and
// for each patch series touching the driver, modpost run again with the exports the series adds.
//
//   npx tsx scripts/real-build/real-build.ts [SERIES]      (6.12, the default)
import { execFileSync } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join } from 'node:path'
import { loadSeries } from '../../src-main/catalog/series/series-loader'
import { parseDotConfig } from '../kernel-import/source-scan.mjs'
import { scanOf } from '../kernel-import/source-facts'
import { kconfigFacts, registrations } from './kconfig-facts'
import {
  DECLARE_USE,
  type DriverEntry,
  exportsOf,
  hasLicense,
  headersWithout,
  koFacts,
  koName,
  needsModuleH,
  prepareAndBuild,
  type Variant,
} from './kbuild-run'
import { seriesVerdicts } from './series-verdict'
import { findDefinitions, parseSymvers, parseSystemMap } from './symbols'

const series = process.argv[2] ?? '6.12'
const root = join(import.meta.dirname, '../..')
const sh = (script: string, ...args: string[]) =>
  execFileSync('bash', [join(root, script), ...args], { encoding: 'utf8' }).trim()
const release = sh('scripts/fetch-kernel-packages.sh', series, '--source')
const headers = sh('scripts/real-build/toolchain.sh', release)
const src = realpathSync(join(root, '.cache/src', `linux-source-${series}`))
const cache = join(root, '.cache/kernels', release)
const work = join(realpathSync(join(root, '.cache')), 'real-build', release, 'work')
mkdirSync(work, { recursive: true })

const config = parseDotConfig(readFileSync(join(headers, '.config'), 'utf8'))
const symvers = parseSymvers(readFileSync(join(headers, 'Module.symvers'), 'utf8'))
const systemMap = parseSystemMap(readFileSync(join(cache, 'System.map'), 'utf8'))
const scan = scanOf(root, series, join(cache, 'config'))
if (!scan) throw new Error(`no source scan: extract linux-source-${series} first`)
const allSeries = loadSeries(join(root, 'resources/series'))
const { drivers } = JSON.parse(readFileSync(join(import.meta.dirname, 'drivers.json'), 'utf8')) as {
  drivers: DriverEntry[]
}

const results = []
for (const entry of [...drivers].sort((a, b) => a.kconfig.localeCompare(b.kconfig))) {
  process.stderr.write(`${entry.kconfig}: `)
  const sources = entry.modules.flatMap((module) => module.sources)
  const texts = new Map(sources.map((file) => [file, readFileSync(join(src, file), 'utf8')]))
  const dirOf = (variant: Variant) => join(work, entry.kconfig, variant)
  const ownExports = [...texts.values()].flatMap(exportsOf).sort()
  const farm = headersWithout(headers, join(work, entry.kconfig, 'headers'), new Set(ownExports))
  const build = (variant: Variant, edit = true) =>
    prepareAndBuild({ src, headers: farm, dir: dirOf(variant), entry, variant, edit })

  // The files as they are: a built-in-only driver may lack MODULE_LICENSE (modpost refuses the
  // module) or <linux/module.h> (its *_initcall does not compile under MODULE). Recorded as is;
  // the measuring builds then make those edits to see everything else.
  const asIs = build('plain', false)
  const builds: Partial<Record<Variant, ReturnType<typeof build>>> = { plain: build('plain') }
  const declares = [...texts.values()].some((text) => DECLARE_USE.test(text))
  if (declares) {
    builds['keep-static'] = build('keep-static')
    builds.keep = build('keep')
  }
  process.stderr.write(`${Object.keys(builds).join(', ')}\n`)
  // a measuring build that made no .ko is a finding to look at, not to let pass silently
  for (const [variant, output] of Object.entries(builds))
    for (const [name, facts] of Object.entries(output.modules))
      if (!facts) {
        const why = [...output.compiler, ...output.modpost].find((line) => /error/i.test(line))
        process.stderr.write(`  ${variant}: no ${name}.ko: ${why ?? 'see the build directory'}\n`)
      }

  const needed = new Set<string>()
  for (const output of Object.values(builds))
    for (const facts of Object.values(output.modules))
      facts?.undefined.forEach((s) => needed.add(s))
  const unexported = [...needed].filter((symbol) => !symvers.has(symbol)).sort()
  const definitions = findDefinitions(src, unexported)
  const symbols = [...needed].sort().map((symbol) => {
    const exported = symvers.get(symbol)
    const inVmlinux = systemMap(symbol)
    const definition = exported ? undefined : definitions.get(symbol)
    return {
      symbol,
      export: exported ?? null,
      vmlinux: inVmlinux ?? null,
      ...(definition ? { definition } : {}),
    }
  })
  const base: Variant = builds.keep ? 'keep' : 'plain'
  const debianKo = Object.fromEntries(
    entry.modules.flatMap((module) => {
      const facts = shippedKo(dirname(module.sources[0]!), koName(module))
      return facts ? [[module.name, facts]] : []
    }),
  )
  results.push({
    kconfig: entry.kconfig,
    kconfigFacts: kconfigFacts(scan, entry.kconfig, config),
    makefile: entry.makefile,
    modules: entry.modules,
    registrations: sources.flatMap((file) => registrations(file, texts.get(file) as string)),
    ownExports,
    asIs: { ok: asIs.ok, command: asIs.command, modpost: asIs.modpost, compiler: asIs.compiler },
    edits: edits(entry, texts),
    builds,
    ...(Object.keys(debianKo).length > 0 ? { debianKo } : {}),
    symbols,
    series: seriesVerdicts({
      allSeries,
      entry,
      needed,
      symvers,
      request: { src, headers: farm, dir: dirOf(base), entry, variant: base, edit: true },
      base,
      work: join(work, entry.kconfig),
    }),
  })
}

const out = join(root, 'resources/real-build', `${series}.json`)
mkdirSync(join(root, 'resources/real-build'), { recursive: true })
writeFileSync(out, `${JSON.stringify({ provenance: provenance(), drivers: results }, null, 2)}\n`)
console.log(`${results.length} drivers → ${out}`)

/**
 * The .ko Debian's own build made of a module, when its kernel ships one: the check of the method
 * (the same facts read the same way from the real file).
 */
function shippedKo(dir: string, name: string) {
  const base = join(cache, 'lib/modules', release, 'kernel', dir, `${name}.ko`)
  const file = existsSync(`${base}.xz`) ? `${base}.xz` : existsSync(base) ? base : undefined
  if (!file) return undefined
  const plain = join(work, `debian-${name}.ko`)
  if (file.endsWith('.xz')) writeFileSync(plain, execFileSync('xz', ['-dc', file]))
  else copyFileSync(file, plain)
  return koFacts(plain)
}

/** What the measuring builds changed in the copies of the sources (see BuildRequest.edit). */
function edits(entry: DriverEntry, texts: Map<string, string>): string[] {
  const done: string[] = []
  for (const module of entry.modules) {
    if (!module.sources.some((file) => hasLicense(texts.get(file) as string)))
      done.push(
        `${module.sources[0]}: #include <linux/module.h> and MODULE_LICENSE("GPL") appended`,
      )
    for (const file of module.sources)
      if (needsModuleH(texts.get(file) as string))
        done.push(`${file}: #include <linux/module.h> added after the first #include`)
  }
  return done
}

function provenance() {
  const deb = (pattern: string) => {
    const file = execFileSync('bash', ['-c', `ls ${root}/.cache/debs/${pattern}`], {
      encoding: 'utf8',
    }).trim()
    const field = (name: string) =>
      execFileSync('dpkg-deb', ['-f', file, name], { encoding: 'utf8' }).trim()
    const sha256 = execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0] as string
    return { name: field('Package'), version: field('Version'), sha256 }
  }
  const base = release.replace(/-arm64$/, '')
  const version = (command: string) =>
    (execFileSync(command, ['--version'], { encoding: 'utf8' }).split('\n')[0] ?? '').trim()
  const dpkgVersion = (name: string) =>
    execFileSync('dpkg-query', ['-W', '-f=${Version}', name], { encoding: 'utf8' }).trim()
  return {
    generator: 'scripts/real-build/real-build.ts',
    date: new Date().toISOString().slice(0, 10),
    release,
    packages: [
      deb(`linux-headers-${release}_*.deb`),
      deb(`linux-headers-${base}-common_*.deb`),
      deb(`linux-kbuild-${base}_*.deb`),
      deb(`linux-image-${release}-dbg_*.deb`),
      deb(`linux-source-${series}_*.deb`),
    ],
    toolchain: {
      gcc: version('aarch64-linux-gnu-gcc-12'),
      'gcc-aarch64-linux-gnu': dpkgVersion('gcc-aarch64-linux-gnu'),
      binutils: version('aarch64-linux-gnu-ld'),
      make: version('make'),
      headersCompiler: config.CC_VERSION_TEXT ?? '',
    },
    method: [
      'Each driver is built as an external module: `make -C $HEADERS M=$M ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- modules KBUILD_MODPOST_WARN=1 CONFIG_DEBUG_INFO_BTF_MODULES=` ($HEADERS is linux-headers-<release> extracted with its -common tree and linux-kbuild; the Makefile include of the -common tree repointed to the extracted copy). The sources are copied to $M; their directory is on the include path and __FILE__ is mapped to the in-tree path.',
      'Module BTF is off: it needs pahole, and .BTF is not an allocated section, so no size here changes.',
      '`plain`: the source as it is. A driver without MODULE_LICENSE fails modpost (`missingLicense`, verbatim); the builds then append MODULE_LICENSE("GPL").',
      '`keep`: the *_OF_DECLARE tables kept as vmlinux keeps them. In a module include/linux/of.h (:1521-1530) makes each table an unused static, so gcc drops it and the init function only it references: a plain build reports nothing that init code needs. The keep build redefines _OF_DECLARE before the first *_OF_DECLARE use to put the table, __used, in .init.rodata (its place in vmlinux), so exactly the init code vmlinux runs reaches the .ko and modpost.',
      '`keep-static`: gcc -fkeep-static-functions, the cross-check of `keep`: it also keeps every unused static function, not only the ones the tables name, so it can list more.',
      "undefined: `aarch64-linux-gnu-nm -u` of each .ko (Debian modpost prints at most 10 per module). Exports: the headers' Module.symvers. vmlinux sections: the real System.map of linux-image-<release>-dbg, each address placed between the linker's boundary symbols (_sinittext/_einittext, __initdata_begin/__initdata_end, _stext/_etext, ...). definition: the first non-static file-scope definition in the 6.12 source (grep), with the __init-style marker written on it.",
      'series: modpost run again on the `keep` build (or `plain` when there is none) with KBUILD_EXTRA_SYMBOLS naming the exports the series adds (CRC 0): series are data without diffs, so their code changes (a registration converted, __init removed in the driver) are not compiled; __init removed from core symbols is applied to the classification.',
    ],
  }
}
