// One real external-module build of a driver entry (scripts/real-build/drivers.json) with
// Debian's arm64 headers and the cross compiler: `make -C <headers> M=<dir> modules`, then what
// the build produced: modpost's and the compiler's messages verbatim, and per .ko its undefined
// symbols (`nm -u`: Debian's modpost prints at most 10), whether it has init_module/cleanup_module,
// and its section sizes (`size -A`).
import { spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { basename, dirname, join } from 'node:path'

export interface DriverEntry {
  kconfig: string
  makefile: string
  modules: { name: string; sources: string[] }[]
}

/**
 * `plain`: the sources as they are (a module build drops every `*_OF_DECLARE` table and, with it,
 * the init function only the table references). `keep`: the tables kept as vmlinux keeps them
 * (see KEEP_TABLES). `keep-static`: gcc's -fkeep-static-functions, the cross-check of `keep`.
 */
export type Variant = 'plain' | 'keep' | 'keep-static'

export interface KoFacts {
  undefined: string[]
  hasInit: boolean
  hasExit: boolean
  sections: Record<string, number>
}

export interface BuildOutput {
  ok: boolean
  command: string
  modpost: string[]
  compiler: string[]
  modules: Record<string, KoFacts | null>
}

/** A `*_OF_DECLARE` use at file scope: the lines the keep build inserts its table definition before. */
export const DECLARE_USE =
  /^(\w+_OF_DECLARE(?:_DRIVER)?|IRQCHIP_DECLARE|OF_DECLARE_[12](?:_RET)?)\s*\(/m

/**
 * include/linux/of.h:1520-1530 (6.12): built in, `_OF_DECLARE` puts the table in
 * `__<table>_of_table`, which vmlinux keeps in its init data; in a module (`MODULE` defined) it
 * is `__attribute__((unused))`, so the compiler drops it and the init function it names. This
 * redefinition, inserted before the driver's first use, keeps the table (`__used`) in
 * `.init.rodata`, the init data it sits in when built in, so the init code and everything it
 * needs reach the .ko and modpost, and nothing else is added.
 */
const KEEP_TABLES = `
/* modlab real-build keep: the *_OF_DECLARE table kept as vmlinux keeps it (include/linux/of.h:1521) */
#undef _OF_DECLARE
#define _OF_DECLARE(table, name, compat, fn, fn_type)				\\
	static const struct of_device_id __of_table_##name			\\
		__used __section(".init.rodata")				\\
		__aligned(__alignof__(struct of_device_id))			\\
		 = { .compatible = compat,					\\
		     .data = (fn == (fn_type)NULL) ? fn : fn  }
`

const LICENSE =
  '\n#include <linux/module.h> /* modlab real-build edit */\nMODULE_LICENSE("GPL"); /* modlab real-build edit */\n'
const MODULE_H = '#include <linux/module.h> /* modlab real-build edit */'

/** Alloc'd sections and the module metadata; debug info, notes and BTF are left out. */
const SKIPPED_SECTIONS = /^(\.debug|\.comment|\.note|\.BTF|\.rela|\.symtab|\.strtab|\.shstrtab)/

/**
 * The headers tree as a tree with this driver as a module would have it: the same files, but
 * a Module.symvers without the exports of the driver's own sources (Debian builds these drivers
 * in, so vmlinux exports them, and modpost would call the module's exports duplicates).
 */
export function headersWithout(headers: string, dir: string, own: Set<string>): string {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  for (const name of readdirSync(headers)) {
    if (name === 'Module.symvers') continue
    symlinkSync(realpathSync(join(headers, name)), join(dir, name))
  }
  const symvers = readFileSync(join(headers, 'Module.symvers'), 'utf8')
    .split('\n')
    .filter((line) => !own.has(line.split('\t')[1] ?? ''))
    .join('\n')
  writeFileSync(join(dir, 'Module.symvers'), symvers)
  return dir
}

/** The symbols a source file exports (EXPORT_SYMBOL, _GPL, _NS...). */
export function exportsOf(text: string): string[] {
  return [...text.matchAll(/^\s*EXPORT_SYMBOL\w*\(\s*(\w+)/gm)].map((match) => match[1] as string)
}

/** Uses a macro that only <linux/module.h> defines under MODULE, without including it. */
export function needsModuleH(text: string): boolean {
  return (
    /^\s*(\w+_initcall(_sync)?|module_init|module_exit)\s*\(/m.test(text) &&
    !/#include\s*<linux\/module\.h>/.test(text)
  )
}

export function hasLicense(text: string): boolean {
  return /^\s*MODULE_LICENSE\s*\(/m.test(text)
}

export interface BuildRequest {
  src: string
  headers: string
  dir: string
  entry: DriverEntry
  variant: Variant
  /**
   * The edits a module build of these built-in-only files needs before modpost can say anything
   * else: MODULE_LICENSE("GPL") appended to a module that has none (modpost refuses it), and
   * <linux/module.h> included after the first #include where a file uses an initcall macro
   * without it (under MODULE the `*_initcall` macros are defined there only). Recorded in the output as `edits`.
   */
  edit: boolean
  extraSymbols?: string
}

/** Writes the build directory (copies of the sources, the Kbuild file) and builds it. */
export function prepareAndBuild(request: BuildRequest): BuildOutput {
  const { src, dir, entry, variant } = request
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const kbuild: string[] = []
  const includeDirs = new Set<string>()
  for (const module of entry.modules) {
    const objects: string[] = []
    module.sources.forEach((source, index) => {
      const name = basename(source)
      let text = readFileSync(join(src, source), 'utf8')
      if (variant === 'keep') {
        const use = DECLARE_USE.exec(text)
        if (use) text = text.slice(0, use.index) + KEEP_TABLES + text.slice(use.index)
      }
      if (request.edit && needsModuleH(text))
        text = text.replace(/^#include\s*[<"].*$/m, (line) => `${line}\n${MODULE_H}`)
      if (request.edit && index === 0 && !module.sources.some(moduleHasLicense(src)))
        text += LICENSE
      writeFileSync(join(dir, name), text)
      objects.push(name.replace(/\.c$/, '.o'))
      includeDirs.add(dirname(source))
      // __FILE__ as an in-tree build spells it (WARN()s' strings are part of .rodata)
      kbuild.push(
        `CFLAGS_${name.replace(/\.c$/, '.o')} += -fmacro-prefix-map=${dir}/=${dirname(source)}/`,
      )
    })
    if (module.sources.length === 1 && koName(module) === basename(module.sources[0]!, '.c'))
      kbuild.push(`obj-m += ${objects[0]}`)
    else kbuild.push(`obj-m += ${module.name}.o`, `${module.name}-y := ${objects.join(' ')}`)
  }
  for (const include of [...includeDirs].sort()) kbuild.push(`ccflags-y += -I${join(src, include)}`)
  if (variant === 'keep-static') kbuild.push('ccflags-y += -fkeep-static-functions')
  writeFileSync(join(dir, 'Kbuild'), `${kbuild.join('\n')}\n`)
  return runMake(request)
}

/** The .ko Kbuild makes: `a-b.o` alone gives a-b.ko (module a_b), a composite `name.ko`. */
export function koName(module: { name: string; sources: string[] }): string {
  const only = module.sources.length === 1 ? basename(module.sources[0]!, '.c') : undefined
  return only !== undefined && only.replace(/-/g, '_') === module.name ? only : module.name
}

function moduleHasLicense(src: string) {
  return (source: string) => hasLicense(readFileSync(join(src, source), 'utf8'))
}

export function makeArgs(
  headers: string,
  dir: string,
  extraSymbols?: string,
  measure = true,
): string[] {
  return [
    '-C',
    headers,
    `M=${dir}`,
    'ARCH=arm64',
    'CROSS_COMPILE=aarch64-linux-gnu-',
    'modules',
    'KBUILD_MODPOST_WARN=1',
    // module BTF needs pahole and the non-alloc'd .BTF section changes nothing measured here
    'CONFIG_DEBUG_INFO_BTF_MODULES=',
    // a missing MODULE_IMPORT_NS is an ERROR that leaves no .ko: the as-is build records it, the
    // measuring builds let modpost go on (-N) to see the rest
    ...(measure ? ['CONFIG_MODULE_ALLOW_MISSING_NAMESPACE_IMPORTS=y'] : []),
    ...(extraSymbols ? [`KBUILD_EXTRA_SYMBOLS=${extraSymbols}`] : []),
  ]
}

/** Runs make in an already written build directory (again, e.g. with extra symbols). */
export function runMake(request: BuildRequest): BuildOutput {
  const { headers, dir, entry, extraSymbols } = request
  const args = makeArgs(headers, dir, extraSymbols, request.edit)
  const run = spawnSync('make', args, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } })
  const normalise = (line: string) =>
    line
      .split(dir)
      .join('$M')
      .split(headers)
      .join('$HEADERS')
      .replace(/\/[^\s:'"]*linux-headers-[^/\s]*-common/g, '$COMMON')
  const lines = `${run.stdout}\n${run.stderr}`.split('\n').map(normalise)
  const modules: Record<string, KoFacts | null> = {}
  for (const module of entry.modules)
    modules[module.name] = koFacts(join(dir, `${koName(module)}.ko`))
  return {
    ok: run.status === 0,
    command: `make ${args.map((arg) => normalise(arg).replace(request.src, '$SRC')).join(' ')}`,
    modpost: lines.filter((line) => /^(WARNING|ERROR): modpost:/.test(line)),
    compiler: lines.filter((line) => /: (warning|error): /.test(line)),
    modules,
  }
}

function tool(name: string, args: string[]): string {
  const run = spawnSync(`aarch64-linux-gnu-${name}`, args, { encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`${name} ${args.join(' ')}: ${run.stderr}`)
  return run.stdout
}

export function koFacts(ko: string): KoFacts | null {
  if (!existsSync(ko)) return null
  const symbols = tool('nm', [ko])
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
  const undefinedSymbols = symbols
    .filter((parts) => parts.length === 2 && parts[0] === 'U')
    .map((parts) => parts[1] as string)
  const defined = new Set(symbols.filter((parts) => parts.length === 3).map((parts) => parts[2]))
  const sections: Record<string, number> = {}
  for (const line of tool('size', ['-A', ko]).split('\n')) {
    const match = /^(\S+)\s+(\d+)\s+\d+$/.exec(line)
    if (match && !SKIPPED_SECTIONS.test(match[1] as string))
      sections[match[1] as string] = Number(match[2])
  }
  return {
    undefined: [...new Set(undefinedSymbols)].sort(),
    hasInit: defined.has('init_module'),
    hasExit: defined.has('cleanup_module'),
    sections,
  }
}
