import { describe, expect, it } from 'vitest'
import { isOwnPage, rendererEntry } from '../../../src-main/hosts/electron/renderer-entry'

describe('the renderer entry', () => {
  const built = rendererEntry(true)

  it('uses the dev server only when not packaged, app:// otherwise', () => {
    expect(rendererEntry(false, { ELECTRON_RENDERER_URL: 'http://localhost:5173' }).url).toBe(
      'http://localhost:5173',
    )
    expect(rendererEntry(true, { ELECTRON_RENDERER_URL: 'http://localhost:5173' })).toMatchObject({
      devServerUrl: undefined,
      url: 'app://modlab/index.html',
    })
  })

  it('recognises every route of our own page and nothing else', () => {
    expect(isOwnPage(built, 'app://modlab/index.html')).toBe(true)
    expect(isOwnPage(built, 'app://modlab/index.html#/sessions')).toBe(true)
    expect(isOwnPage(built, 'app://modlab/other.html')).toBe(false)
    expect(isOwnPage(built, 'app://evil/index.html')).toBe(false)
    expect(isOwnPage(built, 'file:///opt/modlab/out/renderer/index.html')).toBe(false)
    expect(isOwnPage(built, 'https://modlab/index.html')).toBe(false)
    expect(isOwnPage(built, 'not a url')).toBe(false)
    const dev = { ...built, devServerUrl: 'http://localhost:5173' }
    expect(isOwnPage(dev, 'http://localhost:5173/#/profiles')).toBe(true)
    expect(isOwnPage(dev, 'http://localhost:5174/')).toBe(false)
  })
})
