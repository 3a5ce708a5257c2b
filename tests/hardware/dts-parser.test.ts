import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findChild, findProperty, stringList } from '../../src-main/hardware/devicetree'
import { DtsSyntaxError, filesResolver, parseDts } from '../../src-main/hardware/dts'
import { diskResolver } from '../../src-main/hardware/dts/disk-includes'
import { readFdt } from '../../src-main/hardware/fdt'
import { canonicalSource, compileWithCpp } from '../support/dts-sources'
import { lacksTools } from '../support/tools'

const FIXTURES = join(__dirname, 'dts-fixtures')
const BOARD = join(FIXTURES, 'board.dts')
const parseBoard = () =>
  parseDts(BOARD, readFileSync(BOARD, 'utf8'), {
    resolver: diskResolver([join(FIXTURES, 'include')]),
  })
const hex = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('hex')

/** The error a source gives, as `line:column: reason`. */
function errorOf(text: string, files: Record<string, string> = {}): string {
  try {
    parseDts('board.dts', text, {
      resolver: filesResolver(new Map(Object.entries(files)), ['inc']),
    })
  } catch (error) {
    if (!(error instanceof DtsSyntaxError)) throw error
    const { file, line, column } = error.location
    return `${file}:${line}:${column}: ${error.reason}`
  }
  return 'no error'
}

describe('parseDts', () => {
  it('reads every construct of the fixture board as cpp + dtc do', () => {
    const tree = parseBoard()
    const values = findChild(tree.root, 'values')
    expect(hex(findProperty(values!, 'expression')?.value)).toBe(
      [7, 3, 1, 16, 16, 0xffffffff, 0xffffffff, 1, 7, 2, 2, 0, 1, 1, 0]
        .map((n) => n.toString(16).padStart(8, '0'))
        .join(''),
    )
    expect(hex(findProperty(values!, 'chars')?.value)).toBe(
      '000000610000000a000000410000004100000041',
    )
    expect(hex(findProperty(values!, 'bits8')?.value)).toBe('1234ff')
    expect(hex(findProperty(values!, 'bits16')?.value)).toBe('1234fffe')
    expect(hex(findProperty(values!, 'bits64')?.value)).toBe('123456789abcdef0')
    expect(hex(findProperty(values!, 'bytes')?.value)).toBe('0011223344' + '55')
    expect(stringList(findProperty(values!, 'strings'))).toEqual([
      'first',
      'second\twith tab',
      'quote " and \\',
    ])
    expect(stringList(findProperty(values!, 'stringified'))).toEqual(['hello world'])
    expect(hex(findProperty(values!, 'pasted_name')?.value)).toBe('00000010')
    expect(findProperty(values!, 'gone')?.value).toEqual(new Uint8Array([0, 0, 0, 2]))
    expect(stringList(findProperty(values!, 'path'))).toEqual(['/soc@0/serial@3000'])
    expect(tree.memoryReservations).toEqual([
      { address: 0x8000_0000n, size: 0x10000n },
      { address: 0x8010_0000n, size: 0x1000n },
    ])
    const soc = findChild(tree.root, 'soc@0')!
    expect(findChild(tree.root, 'gone-node')).toBeUndefined()
    expect(findChild(soc, 'dma@5000')).toBeUndefined()
    expect(findChild(soc, 'pins-a')).toBeDefined()
    expect(findChild(soc, 'pins-b')).toBeUndefined()
    expect(findChild(soc, 'timer@6000')).toBeDefined()
    const i2c = findChild(soc, 'i2c@4000')!
    expect(i2c.labels).toEqual(['i2c1', 'board_i2c'])
    expect(stringList(findProperty(i2c, 'status'))).toEqual(['okay'])
    expect(stringList(findProperty(findChild(soc, 'serial@3000')!, 'status'))).toEqual(['okay'])
    expect(tree.bootCpuId).toBe(0x100)
  })

  it.skipIf(lacksTools('dtc', 'cpp'))(
    'gives the same tree as cpp + dtc for the fixture board',
    () => {
      const theirs = compileWithCpp(BOARD, [join(FIXTURES, 'include'), FIXTURES])
      const mine = parseBoard()
      expect(canonicalSource(mine)).toBe(canonicalSource(theirs))
      expect(mine.bootCpuId).toBe(theirs.bootCpuId)
    },
  )

  it.skipIf(lacksTools('dtc'))('merges and deletes as dtc does', () => {
    const cases = [
      '/ { a = <1>; /delete-property/ a; b; };',
      '/ { n { a = <1>; /delete-property/ a; }; }; / { n { c; }; };',
      '/ { }; / { a = <1>; /delete-property/ a; b; };',
      '/ { a = <1>; z; }; / { /delete-property/ a; b; a = <2>; };',
      '/ { }; / { g { x; }; /delete-node/ g; };',
      '/ { l: n { }; m { p = <&l>; }; }; /delete-node/ &l; / { n { q; }; };',
      '/ { p = <&b &a &b>; a: a { }; b: b { phandle = <1>; }; };',
      '/ { a: a { }; }; &{/a} { x = <&{/a}>; };',
    ]
    for (const body of cases) {
      const source = `/dts-v1/;\n${body}\n`
      let theirs: string
      try {
        theirs = canonicalSource(
          readFdt(
            new Uint8Array(
              execFileSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb'], {
                input: source,
                stdio: ['pipe', 'pipe', 'ignore'],
              }),
            ),
          ),
        )
      } catch {
        theirs = 'error'
      }
      let mine: string
      try {
        mine = canonicalSource(parseDts('case.dts', source))
      } catch {
        mine = 'error'
      }
      expect(mine, body).toBe(theirs)
    }
  })

  it('finds includes in the includer’s folder first, then in each include folder', () => {
    const files = {
      // The same header twice: the copy beside the includer must win for "x.h"...
      'inc/soc/x.h': '#define X 7\n',
      'inc/x.h': '#define X 9\n',
      // ...while <x.h> only looks in the include folders.
      'inc/soc/soc.dtsi':
        '#include "x.h"\n/ { x = <X>; };\n#undef X\n#include <x.h>\n/ { y = <X>; };\n',
    }
    const tree = parseDts('board.dts', '/dts-v1/;\n#include "soc/soc.dtsi"\n', {
      resolver: filesResolver(new Map(Object.entries(files)), ['inc']),
    })
    expect(findProperty(tree.root, 'x')?.value).toEqual(new Uint8Array([0, 0, 0, 7]))
    expect(findProperty(tree.root, 'y')?.value).toEqual(new Uint8Array([0, 0, 0, 9]))
  })

  it('says where and what is wrong', () => {
    const cases: [source: string, error: string, files?: Record<string, string>][] = [
      ['/ { };', "board.dts:1:1: expected /dts-v1/; at the start of the source, found '/'"],
      [
        '/dts-v1/;\n/ {\n\ta = <1 2;\n};',
        "board.dts:3:10: expected a number, 'c' or (expression), found ';'",
      ],
      [
        '/dts-v1/;\n/ { a = <&missing>; };',
        'board.dts:2:10: reference to a node that does not exist: &missing',
      ],
      ['/dts-v1/;\n&nolabel { };', 'board.dts:2:1: label or path nolabel not found'],
      [
        '/dts-v1/;\n#include <dt-bindings/none.h>\n',
        'board.dts:2:1: cannot find included file dt-bindings/none.h',
      ],
      [
        '/dts-v1/;\n#include "inc.dtsi"\n',
        'inc/inc.dtsi:2:11: division by zero in the expression',
        { 'inc/inc.dtsi': '/ {\n  x = <(1/0)>;\n};' },
      ],
      ['/dts-v1/;\n#if 1\n/ { };\n', 'board.dts:2:1: unterminated conditional: #endif expected'],
      [
        '/dts-v1/;\n#define F(a, b) a\n/ { x = <F(1)>; };',
        'board.dts:3:13: macro F takes 2 arguments, but 1 were given',
      ],
      [
        '/dts-v1/;\n/ { x = /bits/ 8 <256>; };',
        'board.dts:2:19: integer value 0x100 is out of range for 8 bits',
      ],
      [
        '/dts-v1/;\n/ { a { }; b = <1>; };',
        'board.dts:2:12: property b comes after a subnode: properties must precede subnodes',
      ],
      ['/dts-v1/;\n/ { a = <1>; a = <2>; };', 'board.dts:2:14: duplicate property a in /'],
      ['/dts-v1/;\n/ { x: a { }; x: b { }; };', "board.dts:2:15: duplicate label 'x' on /b and /a"],
      ['/dts-v1/;\n#error stop here\n', 'board.dts:2:1: #error stop here'],
      [
        '/dts-v1/;\n/ { a = "open; };',
        'board.dts:2:9: expected a value for a: "string", <cells>, [bytes] or &label; found \'"open\'',
      ],
      ['/dts-v1/;\n/ {\n', "board.dts:3:1: the node / is not closed: '};' expected"],
    ]
    const wrong = cases
      .map(([source, expected, files]) => ({ source, expected, got: errorOf(source, files) }))
      .filter(({ expected, got }) => got !== expected)
    expect(wrong).toEqual([])
  })

  it('maps errors in macro expansions to the macro’s place in the source', () => {
    const source = '/dts-v1/;\n#define BAD (1 +)\n/ {\n\tx = <0 BAD>;\n};\n'
    expect(errorOf(source)).toBe("board.dts:4:9: unexpected ')' in the expression")
  })

  it('stops include loops and runaway macros with an error', () => {
    expect(
      errorOf('/dts-v1/;\n#include "board.dts"\n', { 'inc/board.dts': '#include "board.dts"\n' }),
    ).toMatch(/nested more than 200 deep/)
    const bomb = [
      '#define A0 x x',
      ...Array.from({ length: 24 }, (_, n) => `#define A${n + 1} A${n} A${n}`),
    ]
    expect(errorOf(`/dts-v1/;\n${bomb.join('\n')}\n/ { p = <A24>; };`)).toMatch(/grows without end/)
  })
})
