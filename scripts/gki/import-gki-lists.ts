#!/usr/bin/env tsx
// Converts the Android common kernel's GKI lists, as committed upstream, into modlab's data:
// the KMI symbol lists (gki/aarch64/symbols/* on android16-6.12 and later, android/abi_gki_aarch64*
// before) and the GKI modules (modules.bzl's _COMMON_GKI_MODULES_LIST + _ARM64_GKI_MODULES_LIST,
// or android/gki_system_dlkm_modules* on older branches).
//
//   tsx scripts/gki/import-gki-lists.ts UPSTREAM_DIR OUT_DIR
//
// UPSTREAM_DIR holds the upstream files at their paths in the kernel tree, plus sources.json: where
// they were read (repository, branch, commit of each file, the index's character count of each).
// A file whose length differs from the count recorded there is refused, so a copy that lost or
// gained a line cannot become data. OUT_DIR receives kmi.json and provenance.json.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'

const Sources = z
  .object({
    repository: z.string().min(1),
    branch: z.string().min(1),
    branchEvidence: z.string().min(1),
    readWith: z.string().min(1),
    readAt: z.string().min(1),
    note: z.string().optional(),
    files: z.record(
      z.string(),
      z
        .object({ commit: z.string().regex(/^[0-9a-f]{40}$/), totalChars: z.number().int() })
        .strict(),
    ),
    notImported: z.array(z.string()).default([]),
  })
  .strict()

const args = process.argv.slice(2)
if (args.length !== 2) {
  console.error('usage: tsx scripts/gki/import-gki-lists.ts UPSTREAM_DIR OUT_DIR')
  process.exit(2)
}
const [upstreamDir, outDir] = args as [string, string]
const sourcesPath = join(upstreamDir, 'sources.json')
if (!existsSync(sourcesPath)) {
  console.error(`${sourcesPath}: missing (where the upstream files were read)`)
  process.exit(2)
}
const parsedSources = Sources.safeParse(JSON.parse(readFileSync(sourcesPath, 'utf8')))
if (!parsedSources.success) {
  console.error(`${sourcesPath}: ${parsedSources.error.message}`)
  process.exit(2)
}
const sources = parsedSources.data

function filesUnder(dir: string): string[] {
  const full = join(upstreamDir, dir)
  return existsSync(full) ? readdirSync(full).map((name) => `${dir}/${name}`) : []
}

/** `gki/aarch64/symbols/mtk` → mtk; `android/abi_gki_aarch64_mtk` → mtk; the core list → base. */
function listName(path: string): string | undefined {
  const gki = /^gki\/aarch64\/symbols\/([\w-]+)$/.exec(path)
  if (gki) return gki[1]
  const android = /^android\/abi_gki_aarch64(?:_([\w-]+))?$/.exec(path)
  if (android) return android[1] ?? 'base'
  return undefined
}

/**
 * A symbol list: `[abi_symbol_list]` section headers, `#` comments, one symbol a line. A
 * `# required by foo.ko` comment opens the part of the list that module needs (ACK's
 * extract_symbols writes them); `# commonly used symbols` and the rest close it.
 */
function parseList(text: string): { symbols: string[]; requiredBy: Record<string, string[]> } {
  const names = new Set<string>()
  const requiredBy: Record<string, string[]> = {}
  let module: string | undefined
  for (const raw of text.split('\n')) {
    const comment = /^\s*#\s*(.*)$/.exec(raw)
    if (comment) {
      module = /^required by (\S+\.ko)$/.exec((comment[1] ?? '').trim())?.[1]
      continue
    }
    const line = raw.trim()
    if (!line) continue
    if (/^\[.*\]$/.test(line)) {
      module = undefined
      continue
    }
    if (!/^[A-Za-z_][\w.$]*$/.test(line)) fail(`not a symbol name: ${JSON.stringify(raw)}`)
    names.add(line)
    if (module) (requiredBy[module] ??= []).push(line)
  }
  for (const symbols of Object.values(requiredBy)) symbols.sort()
  return { symbols: [...names].sort(), requiredBy: sortedKeys(requiredBy) }
}

function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/** The `.ko` paths of a Starlark list assignment `NAME = [ ... ]`, commented entries left out. */
function starlarkList(text: string, name: string): string[] | undefined {
  const match = new RegExp(`^${name} = \\[\\n([\\s\\S]*?)^\\]`, 'm').exec(text)
  if (!match) return undefined
  return (match[1] ?? '')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean)
    .map((line) => /^"([^"]+\.ko)",?$/.exec(line)?.[1] ?? fail(`modules.bzl ${name}: ${line}`))
}

function fail(message: string): never {
  console.error(message)
  process.exit(1)
}

function checked(path: string): string {
  const text = readFileSync(join(upstreamDir, path), 'utf8')
  const source = sources.files[path] ?? fail(`${path}: not in sources.json`)
  const length = [...text].length
  if (length !== source.totalChars)
    fail(`${path}: ${length} characters, the index holds ${source.totalChars}`)
  return text
}

const provenanceFiles: Record<string, unknown>[] = []
const lists: Record<string, string[]> = {}
const requiredBy: Record<string, Record<string, string[]>> = {}
const symbolFiles = [
  ...filesUnder('gki/aarch64/symbols'),
  ...filesUnder('android').filter((path) => listName(path)),
].sort()
for (const path of symbolFiles) {
  const name = listName(path) ?? fail(`${path}: not a symbol list`)
  const text = checked(path)
  const parsed = parseList(text)
  lists[name] = parsed.symbols
  if (Object.keys(parsed.requiredBy).length) requiredBy[name] = parsed.requiredBy
  provenanceFiles.push(fileRecord(path, text, { list: name, symbols: lists[name].length }))
}

const gkiModules = new Set<string>()
if (existsSync(join(upstreamDir, 'modules.bzl'))) {
  const text = checked('modules.bzl')
  const common =
    starlarkList(text, '_COMMON_GKI_MODULES_LIST') ?? starlarkList(text, 'COMMON_GKI_MODULES_LIST')
  const arm64 = starlarkList(text, '_ARM64_GKI_MODULES_LIST') ?? []
  for (const path of [...(common ?? fail('modules.bzl: no COMMON_GKI_MODULES_LIST')), ...arm64])
    gkiModules.add(path)
  provenanceFiles.push(fileRecord('modules.bzl', text, { modules: gkiModules.size }))
}
for (const path of filesUnder('android').filter((p) => /gki_system_dlkm_modules/.test(p))) {
  const text = checked(path)
  const modules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.endsWith('.ko'))
  for (const module of modules) gkiModules.add(module.replace(/^kernel\//, ''))
  provenanceFiles.push(fileRecord(path, text, { modules: modules.length }))
}

function fileRecord(path: string, text: string, extra: Record<string, unknown>) {
  const { commit, totalChars } = sources.files[path] ?? fail(`${path}: not in sources.json`)
  const sha256 = createHash('sha256').update(text).digest('hex')
  return { path, commit, totalChars, sha256, ...extra }
}

const unused = Object.keys(sources.files).filter(
  (path) => !provenanceFiles.some((file) => file.path === path),
)
if (unused.length) fail(`sources.json names files not in ${upstreamDir}: ${unused.join(', ')}`)

mkdirSync(outDir, { recursive: true })
const kmi = {
  branch: sources.branch,
  lists: sortedKeys(lists),
  requiredBy: sortedKeys(requiredBy),
  gkiModules: [...gkiModules].sort(),
}
writeFileSync(join(outDir, 'kmi.json'), JSON.stringify(kmi, null, 1) + '\n')
const provenance = {
  about:
    'Android GKI KMI symbol lists and GKI modules, converted by scripts/gki/import-gki-lists.ts from the upstream files in upstream/ (copied from a stored index of public GitHub repositories; the live source was not reachable).',
  repository: sources.repository,
  branch: sources.branch,
  branchEvidence: sources.branchEvidence,
  readWith: sources.readWith,
  readAt: sources.readAt,
  ...(sources.note ? { note: sources.note } : {}),
  files: provenanceFiles,
  notImported: sources.notImported,
}
writeFileSync(join(outDir, 'provenance.json'), JSON.stringify(provenance, null, 2) + '\n')
console.log(
  `${Object.keys(lists).length} symbol lists (${Object.entries(lists)
    .map(([name, symbols]) => `${name} ${symbols.length}`)
    .join(', ')}), ${gkiModules.size} GKI modules → ${outDir}`,
)
