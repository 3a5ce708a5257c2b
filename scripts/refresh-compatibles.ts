// `npx tsx scripts/refresh-compatibles.ts`: rewrites each built-in kernel's compatibles record
// after an edit of its curated files (drivers.json, module-behaviour.json), the last step of
// scripts/import-kernel.ts without the import.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { writeKernelCompatibles } from '../src-main/catalog/kernel-compatibles'
import { loadKernelProfile } from '../src-main/catalog/kernel-profiles'

const kernels = join(import.meta.dirname, '..', 'resources', 'kernels')
for (const id of readdirSync(kernels)) {
  writeKernelCompatibles(join(kernels, id), loadKernelProfile(join(kernels, id)))
  console.log(`${id}: compatibles rewritten`)
}
