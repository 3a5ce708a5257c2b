#!/usr/bin/env node
// Regenerates resources/profiles/qemu-virt/ from QEMU's own `dumpdtb` output.
// Needs qemu-system-aarch64 (Debian: qemu-system-arm). Run: node scripts/generate-virt-profile.mjs
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const outDir = join(root, 'resources/profiles/qemu-virt')
const blob = join(outDir, 'board.dtb')
const args = (dtb) => [
  '-M',
  `virt,gic-version=3,dumpdtb=${dtb}`,
  '-cpu',
  'cortex-a57',
  '-smp',
  '4',
  '-m',
  '2G',
  '-nographic',
]

mkdirSync(outDir, { recursive: true })
const qemuVersion = execFileSync('qemu-system-aarch64', ['--version'], { encoding: 'utf8' })
  .split('\n')[0]
  .trim()
execFileSync('qemu-system-aarch64', args(blob), { stdio: 'ignore' })

const profile = {
  id: 'qemu-virt',
  name: 'QEMU virt (arm64)',
  description:
    'The generic arm64 virtual board of QEMU: GICv3, four Cortex-A57 cores, 2 GiB of RAM, PL011 UART, PL031 RTC, PL061 GPIO, fw_cfg and 32 virtio-mmio slots.',
  bootargs: 'console=ttyAMA0',
  default: true,
  devicetree: 'board.dtb',
  source: {
    generator: `qemu-system-aarch64 ${args('board.dtb').join(' ')}`,
    tool: qemuVersion,
    sha256: createHash('sha256').update(readFileSync(blob)).digest('hex'),
  },
}
writeFileSync(join(outDir, 'profile.json'), JSON.stringify(profile, null, 2) + '\n')
console.log(`wrote ${outDir} (${profile.source.sha256})`)
