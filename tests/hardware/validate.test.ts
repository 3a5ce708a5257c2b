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
        soc { compatible = "simple-bus"; #address-cells = <1>; #size-cells = <1>; ranges;
          timer@400 { reg = <0x410 0x10>; };
        };
        spi@500 { };
        i2c { reg = <0x600 0x10>; };
        dup@700 { reg = <0x700 0x10>; };
        other@700 { reg = <0x700 0x10>; };
        off@700 { reg = <0x700 0x10>; status = "disabled"; };
      };`)
    expect(validateTree(tree).map((f) => `${f.severity} ${f.path}: ${f.message}`)).toEqual([
      'error /uart@200: clocks ends inside its entry for /clock@100 (#clock-cells = 1)',
      'error /uart@200: resets refers to phandle 0x77, which no node has',
      'error /uart@200: vdd-supply refers to phandle 0x78, which no node has',
      'error /gpio@300: reg has 12 bytes, not a multiple of 2 cells (#address-cells = 1, #size-cells = 1 in /)',
      'warning /soc/timer@400: unit address @400 does not match reg: expected @410',
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
        check: 'no_driver',
        path: '/soc/unknown@2000',
        message: 'no driver in Test kernel matches acme,unknown, acme,generic',
      },
    ])
  })

  it('reads the unit address of I2C, SPI and SPMI children from the first cell, as dtc does', () => {
    const tree = compile(`/dts-v1/;
      / {
        #address-cells = <1>; #size-cells = <1>;
        soc { compatible = "simple-bus"; #address-cells = <1>; #size-cells = <1>; ranges;
          spmi@c440000 { reg = <0xc440000 0x1000>; #address-cells = <2>; #size-cells = <0>;
            pmic@1 { reg = <0x1 0>; };
            pmic@3 { reg = <0x2 0>; };
          };
          i2c@1000 { reg = <0x1000 0x100>; #address-cells = <1>; #size-cells = <0>;
            codec@1a { reg = <0x1a>; };
            eeprom@50 { reg = <0x80000050>; };
          };
          spi@2000 { reg = <0x2000 0x100>; #address-cells = <1>; #size-cells = <0>;
            flash@0 { reg = <0>; };
          };
        };
        apr { #address-cells = <1>; #size-cells = <0>;
          dai@22 { reg = <22>; };
        };
      };`)
    expect(validateTree(tree).map((f) => `${f.check} ${f.path}: ${f.message}`)).toEqual([
      'unit_address_vs_reg /soc/spmi@c440000/pmic@3: unit address @3 does not match reg: expected @2',
    ])
  })

  it('finds the duplicate unit addresses of db845c that dtc finds among enabled nodes', () => {
    const db845c = readFdt(
      new Uint8Array(
        readFileSync(join(__dirname, '..', '..', 'resources', 'profiles', 'db845c', 'board.dtb')),
      ),
    )
    const blob = join(__dirname, '..', '..', 'resources', 'profiles', 'db845c', 'board.dtb')
    const dtc = execFileSync(
      'sh',
      [
        '-c',
        `dtc -Wno-unique_unit_address -Wunique_unit_address_if_enabled -I dtb -O dts -o /dev/null ${blob} 2>&1`,
      ],
      { encoding: 'utf8' },
    )
    // dtc names the first node and, as "also used in", the second; modlab reports the second.
    expect(
      [...dtc.matchAll(/\(unique_unit_address_if_enabled\): (\S+): .*node (\S+)\)/g)].map(
        (m) => m[2],
      ),
    ).toEqual(['/soc@0/qfprom@784000/hstx-trim-secondary@1eb'])
    expect(validateTree(db845c).filter((f) => f.check !== 'no_driver')).toEqual([
      {
        severity: 'warning',
        check: 'unique_unit_address_if_enabled',
        path: '/soc@0/qfprom@784000/hstx-trim-secondary@1eb',
        message:
          'duplicate unit address @1eb (also used by /soc@0/qfprom@784000/hstx-trim-primary@1eb)',
      },
    ])
  })

  it('finds QEMU virt clean, as dtc does', () => {
    const virt = readFdt(
      new Uint8Array(
        readFileSync(
          join(__dirname, '..', '..', 'resources', 'profiles', 'qemu-virt', 'board.dtb'),
        ),
      ),
    )
    expect(validateTree(virt)).toEqual([])
  })
})
