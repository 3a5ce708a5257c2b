import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const config = readFileSync(join(__dirname, '..', '..', '..', 'electron-builder.yml'), 'utf8')

/** `key: value` lines of the electronFuses block (the build reads them; nothing here can run it). */
function fuses(): Record<string, string> {
  const block = /^electronFuses:\n((?:[ #].*\n)+)/m.exec(config)?.[1] ?? ''
  return Object.fromEntries(
    [...block.matchAll(/^ {2}(\w+): (\w+)$/gm)].map((match) => [match[1], match[2]]),
  )
}

describe('the packaged app', () => {
  it("flips Electron's fuses: no Node mode, no NODE_OPTIONS or --inspect, asar only and checked", () => {
    expect(fuses()).toMatchObject({
      runAsNode: 'false',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
      grantFileProtocolExtraPrivileges: 'false',
    })
  })
})
