import { join } from 'node:path'
import { runBoot } from '../src-main/sessions/boot-runner'
const run = runBoot({ profile: process.argv[2] ?? 'hikey960', kernel: 'debian-6.12-arm64', resources: join(__dirname, '../resources') })
const seen = new Set<string>()
for (const e of run.shell.system.kernel.deviceEvents) if (e.state === 'deferred' && !seen.has(e.device + e.detail)) { seen.add(e.device + e.detail); console.log(e.ns, e.device, e.detail) }
