import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { API_CHANNELS } from '../../../src-main/api/channels'
import { buildBridgeScript, injectBridge, policyOf } from '../../../src-main/hosts/web/page'

const INDEX_HTML = readFileSync(
  join(__dirname, '..', '..', '..', 'src-renderer', 'index.html'),
  'utf8',
)

describe('the web page', () => {
  it('takes its Content-Security-Policy from the renderer, strict and without unsafe sources', () => {
    const policy = policyOf(INDEX_HTML)
    expect(policy).toContain("default-src 'none'")
    expect(policy).toContain("script-src 'self'")
    expect(policy).toContain("object-src 'none'")
    expect(policy).not.toMatch(/unsafe|\*/)
    expect(() => policyOf('<html></html>')).toThrow(/declares no Content-Security-Policy/)
  })

  it('places the bridge before the first script of the page', () => {
    const page = injectBridge('<head><script type="module" src="./a.js"></script></head>')
    expect(page).toMatch(
      /^<head><script src="\/modlab-bridge.js"><\/script>\s*<script type="module"/,
    )
  })

  it('builds a bridge script that defines a frozen window.modlab with the contract channels', () => {
    const window: Record<string, unknown> = {}
    runInNewContext(buildBridgeScript(), {
      window,
      WebSocket: class {},
      location: { protocol: 'http:', host: 'x' },
    })
    const api = window.modlab as Record<string, Record<string, unknown>>
    expect(Object.isFrozen(api)).toBe(true)
    expect(Object.entries(api).flatMap(([d, m]) => Object.keys(m).map((v) => `${d}:${v}`))).toEqual(
      [...API_CHANNELS],
    )
    expect(Object.getOwnPropertyDescriptor(window, 'modlab')).toMatchObject({
      writable: false,
      configurable: false,
    })
  })
})
