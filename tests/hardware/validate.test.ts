import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readFdt } from '../../src-main/hardware/fdt'
import { validateTree } from '../../src-main/hardware/validate'
import { lacksTools } from '../support/tools'

const compile = (dts: string) =>
  readFdt(new Uint8Array(execFileSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb'], { input: dts })))

describe.skipIf(lacksTools('dtc'))('validateTree', () => {
  it('finds dangling phandles, short entries, reg sizes and unit-address problems', () => {
    const tree = compile(`/dts-v1/;
      / {
        #address-cells = <1>; #size-cells = <1>;
        clk: clock@100 { reg = <0x100 0x10>; #clock-cells = <1>; };
        uart@200 { reg = <0x200 0x10>; clocks = <&clk>; resets = <0x77 1>; vdd-supply = <0x78>; };
        gpio@300 { reg = <0x300 0x10 0x5>; };
        timer@400 { reg = <0x410 0x10>; };
        spi@500 { };
        i2c { reg = <0x600 0x10>; };
        dup@700 { reg = <0x700 0x10>; };
        other@700 { reg = <0x700 0x10>; };
      };`)
    expect(validateTree(tree).map((f) => `${f.severity} ${f.path}: ${f.message}`)).toEqual([
      'error /uart@200: clocks ends inside its entry for /clock@100 (#clock-cells = 1)',
      'error /uart@200: resets refers to phandle 0x77, which no node has',
      'error /uart@200: vdd-supply refers to phandle 0x78, which no node has',
      'error /gpio@300: reg has 12 bytes, not a multiple of 2 cells (#address-cells = 1, #size-cells = 1 in /)',
      'warning /timer@400: unit address @400 does not match reg address 0x410',
      'warning /spi@500: has a unit address (@500) but no reg or ranges property',
      'warning /i2c: has a reg property but no unit address in its name',
      'warning /other@700: duplicate unit address @700 (also used by /dup@700)',
    ])
  })

  it('reports the devices no driver of a kernel matches, not buses, CPUs or their children', () => {
    const tree = compile(`/dts-v1/;
      / {
        #address-cells = <1>; #size-cells = <1>;
        cpus { #address-cells = <1>; #size-cells = <0>; cpu@0 { compatible = "arm,cortex-a57"; reg = <0>; }; };
        soc { compatible = "simple-bus"; #address-cells = <1>; #size-cells = <1>; ranges;
          known@1000 { compatible = "acme,known"; reg = <0x1000 0x10>; };
          unknown@2000 { compatible = "acme,unknown", "acme,generic"; reg = <0x2000 0x10>; };
          off@3000 { compatible = "acme,off"; reg = <0x3000 0x10>; status = "disabled"; };
        };
      };`)
    const findings = validateTree(tree, {
      knownCompatibles: new Set(['acme,known']),
      kernelName: 'Test kernel',
    })
    expect(findings).toEqual([
      {
        severity: 'info',
        path: '/soc/unknown@2000',
        message: 'no driver in Test kernel matches acme,unknown, acme,generic',
      },
    ])
  })

  it('finds QEMU virt clean but for its PCI host bridge unit address', () => {
    const virt = readFdt(
      new Uint8Array(
        readFileSync(
          join(__dirname, '..', '..', 'resources', 'profiles', 'qemu-virt', 'board.dtb'),
        ),
      ),
    )
    expect(validateTree(virt)).toEqual([
      {
        severity: 'warning',
        path: '/pcie@10000000',
        message: 'unit address @10000000 does not match reg address 0x4010000000',
      },
    ])
  })
})
