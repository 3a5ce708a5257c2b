import { describe, expect, it } from 'vitest'
import { bootKernel } from '../../src-main/kernel/boot'
import { formatText } from '../../src-main/kernel/dmesg-format'
import { machineInputs } from '../../src-main/sessions/boot-runner'
import { profile, virtTree } from './helpers'

const bootWith = (seed: number) =>
  bootKernel(machineInputs(profile, virtTree, { cmdline: 'console=ttyAMA0', seed }))
const text = (seed: number) => bootWith(seed).log.records.map(formatText).join('\n')
const stamps = (seed: number) => bootWith(seed).log.records.map((record) => record.timestampNs)
const strip = (line: string) => line.replace(/^\[[ \d.]+\] /, '')

describe('the seed', () => {
  it('0 keeps the recorded timings; the same seed gives byte-identical logs', () => {
    expect(text(0)).toBe(text(0))
    expect(text(7)).toBe(text(7))
  })

  it('another seed moves the timestamps within ±10% of the work, and nothing else', () => {
    const reference = bootWith(0)
    const varied = bootWith(7)
    expect(varied.log.records.map(formatText)).not.toEqual(reference.log.records.map(formatText))
    expect(varied.log.records.map((r) => strip(formatText(r)))).toEqual(
      reference.log.records.map((r) => strip(formatText(r))),
    )
    const [a, b] = [stamps(0), stamps(7)]
    const last = a.length - 1
    expect(Math.abs((b[last] ?? 0) - (a[last] ?? 0)) / (a[last] ?? 1)).toBeLessThan(0.1)
    expect(varied.core.devices.map((d) => d.state)).toEqual(
      reference.core.devices.map((d) => d.state),
    )
  })
})
