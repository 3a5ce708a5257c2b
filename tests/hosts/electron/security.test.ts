import { beforeEach, describe, expect, it, vi } from 'vitest'
import { denyAllPermissions, hardenWebContents } from '../../../src-main/hosts/electron/security'
import { app, FakeWebContents, resetFakeElectron, session } from './fake-electron'

vi.mock('electron', () => import('./fake-electron'))

describe('web contents hardening', () => {
  beforeEach(resetFakeElectron)

  it('denies new windows, navigation, redirects and webviews in every web contents', () => {
    hardenWebContents()
    const contents = new FakeWebContents()
    app.emit('web-contents-created', {}, contents)
    expect(contents.windowOpenHandler?.({ url: 'https://example.org' })).toEqual({ action: 'deny' })
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const preventDefault = vi.fn()
      contents.emit(event, { preventDefault }, 'https://example.org')
      expect(preventDefault, event).toHaveBeenCalled()
    }
  })

  it('denies every permission request and check', () => {
    denyAllPermissions()
    const request = session.defaultSession.setPermissionRequestHandler.mock.calls[0]?.[0] as (
      ...args: unknown[]
    ) => void
    const callback = vi.fn()
    request({}, 'media', callback)
    expect(callback).toHaveBeenCalledWith(false)
    const check = session.defaultSession.setPermissionCheckHandler.mock
      .calls[0]?.[0] as () => boolean
    expect(check()).toBe(false)
  })
})
