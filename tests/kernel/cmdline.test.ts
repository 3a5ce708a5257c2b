import { describe, expect, it } from 'vitest'
import { boolParam, consoleLoglevel, intParam, parseCmdline } from '../../src-main/kernel/cmdline'
import { renderTemplate } from '../../src-main/kernel/template'

describe('the kernel command line', () => {
  it('parses flags, values and quoted values, the last value winning', () => {
    const cmdline = parseCmdline(
      'console=ttyAMA0  quiet dyndbg="file dd.c +p" deferred_probe_timeout=30 deferred_probe_timeout=5',
    )
    expect(cmdline.raw).toBe(
      'console=ttyAMA0 quiet dyndbg="file dd.c +p" deferred_probe_timeout=30 deferred_probe_timeout=5',
    )
    expect(cmdline.params.get('quiet')).toBe(true)
    expect(cmdline.params.get('dyndbg')).toBe('file dd.c +p')
    expect(intParam(cmdline, 'deferred_probe_timeout', 10)).toBe(5)
    expect(intParam(cmdline, 'missing', 10)).toBe(10)
    expect(boolParam(parseCmdline('fw_devlink.strict=1'), 'fw_devlink.strict')).toBe(true)
    expect(boolParam(parseCmdline('fw_devlink.strict=0'), 'fw_devlink.strict')).toBe(false)
  })

  it('sets console_loglevel from loglevel=, quiet and debug in command-line order', () => {
    const levels = { normal: 7, quiet: 4 }
    expect(consoleLoglevel(parseCmdline(''), levels)).toBe(7)
    expect(consoleLoglevel(parseCmdline('quiet'), levels)).toBe(4)
    expect(consoleLoglevel(parseCmdline('quiet loglevel=8'), levels)).toBe(8)
    expect(consoleLoglevel(parseCmdline('loglevel=8 quiet'), levels)).toBe(4)
    expect(consoleLoglevel(parseCmdline('debug'), levels)).toBe(10)
  })
})

describe('message templates', () => {
  it('fills names and formats, and leaves unknown names visible', () => {
    const values = {
      dev: '9000000.pl011',
      reg: 0x9000000n,
      rate: 62_500_000,
      cpu: 3,
      epoch: 1767225600,
    }
    expect(renderTemplate('{dev}: MMIO 0x{reg:hex} at {rate:mhz2}MHz', values)).toBe(
      '9000000.pl011: MMIO 0x9000000 at 62.50MHz',
    )
    expect(renderTemplate('0x{cpu:hex10} {reg:hex16}', values)).toBe(
      '0x0000000003 0000000009000000',
    )
    expect(renderTemplate('{epoch:iso} UTC', values)).toBe('2026-01-01T00:00:00 UTC')
    expect(renderTemplate('{nope} {dev:nope}', values)).toBe('{nope} {dev:nope}')
  })
})
