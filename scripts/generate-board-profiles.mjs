#!/usr/bin/env node
// Generates built-in profiles of real boards from Debian's arm64 kernel package: runs
// scripts/fetch-board-blobs.sh, copies each board's blob to resources/profiles/<id>/board.dtb and
// writes its profile.json with where it came from (package, version, path in the package, sha256).
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const cache = execFileSync('bash', [join(root, 'scripts/fetch-board-blobs.sh')], {
  cwd: root,
  encoding: 'utf8',
}).trim()
const source = Object.fromEntries(
  readFileSync(join(root, cache, 'SOURCE'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(': ')),
)

// RAM is given only where the tree leaves it to the bootloader (a /memory node of size 0).
const BOARDS = [
  {
    id: 'pixel6-oriole',
    path: 'exynos/google/gs101-oriole.dtb',
    name: 'Google Pixel 6 (oriole)',
    description:
      "Google Tensor gs101: 8 Arm cores in three clusters, Exynos-derived peripherals. The bootloader fills /memory in; this profile gives it the phone's 8 GiB.",
    memory: { start: '0x80000000', sizeMiB: 8192 },
  },
  {
    id: 'mt8183-pumpkin',
    path: 'mediatek/mt8183-pumpkin.dtb',
    name: 'MediaTek MT8183 Pumpkin',
    description:
      'MediaTek MT8183 (4x Cortex-A73 + 4x Cortex-A53) development board with 2 GiB of RAM.',
  },
  {
    id: 'db845c',
    path: 'qcom/sdm845-db845c.dtb',
    name: 'Dragonboard 845c',
    description:
      "Thundercomm Dragonboard 845c: Qualcomm SDM845 with its SMMU, RPMh and remote processors. The bootloader fills /memory in; this profile gives it the board's 4 GiB.",
    memory: { start: '0x80000000', sizeMiB: 4096 },
  },
  {
    id: 'hikey960',
    path: 'hisilicon/hi3660-hikey960.dtb',
    name: 'HiKey960',
    description:
      'HiSilicon Kirin 960 (hi3660) 96Boards board. The bootloader fills /memory in; this profile gives it 3 GiB.',
    memory: { start: '0x0', sizeMiB: 3072 },
  },
  {
    id: 'rpi4b',
    path: 'broadcom/bcm2711-rpi-4-b.dtb',
    name: 'Raspberry Pi 4 Model B',
    description:
      'Broadcom BCM2711 with a CMA pool in reserved-memory. The firmware fills /memory in; this profile gives it 4 GiB.',
    memory: { start: '0x0', sizeMiB: 4096 },
  },
]

for (const board of BOARDS) {
  const dir = join(root, 'resources', 'profiles', board.id)
  mkdirSync(dir, { recursive: true })
  const blob = join(dir, 'board.dtb')
  copyFileSync(join(root, cache, board.path), blob)
  const profile = {
    id: board.id,
    name: board.name,
    description: board.description,
    bootargs: '',
    ...(board.memory ? { memory: board.memory } : {}),
    devicetree: 'board.dtb',
    source: {
      generator: `${source.package}: ${source.path}/${board.path}`,
      tool: `Debian ${source.version} (package sha256 ${source.sha256})`,
      sha256: createHash('sha256').update(readFileSync(blob)).digest('hex'),
    },
  }
  writeFileSync(join(dir, 'profile.json'), JSON.stringify(profile, null, 2) + '\n')
  console.log(`wrote ${board.id} from ${board.path}`)
}
