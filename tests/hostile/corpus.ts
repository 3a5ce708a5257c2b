import { closeSync, ftruncateSync, openSync } from 'node:fs'

/**
 * Hostile inputs, generated: each is small to write down and costly to a naive reader. The
 * tests (and `npm run bench`) feed them to the parsers, the API, the web host and the CLI.
 */

/** Every file of a source handed over, by path; `main` is the board. */
export interface SourceCase {
  main: string
  files: Record<string, string>
}

/** 41 small files, each including the next twice: 2^41 inclusions without a loop. */
export function includeFanOut(levels = 41): SourceCase {
  const files: Record<string, string> = {}
  for (let level = 0; level < levels; level++) {
    const next = level + 1 < levels ? `#include "f${level + 1}.dtsi"\n` : ''
    files[`f${level}.dtsi`] = `${next}${next}/* level ${level} */\n`
  }
  return { main: '/dts-v1/;\n#include "f0.dtsi"\n/ { };\n', files }
}

/** A few hundred bytes whose macros expand to tens of thousands of cells per line. */
export function macroFanOut(lines = 8): SourceCase {
  const cells = Array.from({ length: lines }, (_, n) => `  p${n} = <E(${n})>;`).join('\n')
  const main = `#define A(x) x x x x x x x x
#define B(x) A(A(x))
#define C(x) B(B(x))
#define E(x) A(C(x))
/dts-v1/;
/ {
${cells}
};
`
  return { main, files: {} }
}

/** Nodes nested `depth` deep (the FDT format allows 64). */
export function deepSource(depth: number): string {
  return `/dts-v1/;\n/ {\n${'n {\n'.repeat(depth - 1)}${'};\n'.repeat(depth - 1)}};\n`
}

/** `p = <(((...1...)))>`: parentheses nested `depth` deep. */
export function deepExpression(depth: number): string {
  return `/dts-v1/;\n/ { p = <${'('.repeat(depth)}1${')'.repeat(depth)}>; };\n`
}

/** `#if 1` nested `depth` deep. */
export function deepConditionals(depth: number): string {
  return `${'#if 1\n'.repeat(depth)}${'#endif\n'.repeat(depth)}/dts-v1/;\n/ { };\n`
}

/** A node with `count` children of one name each but the first, all distinct (a flat SoC). */
export function wideSource(count: number): string {
  const nodes = Array.from(
    { length: count },
    (_, n) => `\t\tdev@${n.toString(16)} { reg = <${n}>; };`,
  )
  return `/dts-v1/;\n/ {\n\t#address-cells = <1>;\n\t#size-cells = <0>;\n\tsoc {\n\t\t#address-cells = <1>;\n\t\t#size-cells = <0>;\n${nodes.join('\n')}\n\t};\n};\n`
}

/** A tree as the API takes it (TreeData), nested `depth` deep. */
export function deepTreeData(depth: number): {
  root: unknown
  memoryReservations: []
  bootCpuId: 0
} {
  let node: { name: string; properties: []; children: unknown[] } = {
    name: 'n',
    properties: [],
    children: [],
  }
  for (let level = 1; level < depth; level++) node = { name: 'n', properties: [], children: [node] }
  return { root: { ...node, name: '' }, memoryReservations: [], bootCpuId: 0 }
}

/** A file of `bytes` bytes that takes no room on disk (sparse), for size limits. */
export function sparseFile(path: string, bytes: number): string {
  const fd = openSync(path, 'w')
  ftruncateSync(fd, bytes)
  closeSync(fd)
  return path
}
