import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { isOwnPage, rendererEntry } from '../../../src-main/hosts/electron/renderer-entry'

describe('the renderer entry', () => {
  const built = { file: '/opt/modlab/out/renderer/index.html' }

  it('uses the dev server only when not packaged', () => {
    expect(
      rendererEntry(false, { ELECTRON_RENDERER_URL: 'http://localhost:5173' }).devServerUrl,
    ).toBe('http://localhost:5173')
    expect(
      rendererEntry(true, { ELECTRON_RENDERER_URL: 'http://localhost:5173' }).devServerUrl,
    ).toBeUndefined()
  })

  it('recognises every route of our own page and nothing else', () => {
    const own = pathToFileURL(built.file).href
    expect(isOwnPage(built, own)).toBe(true)
    expect(isOwnPage(built, `${own}#/sessions`)).toBe(true)
    expect(isOwnPage(built, 'file:///opt/modlab/out/renderer/other.html')).toBe(false)
    expect(isOwnPage(built, 'https://opt/modlab/out/renderer/index.html')).toBe(false)
    expect(isOwnPage(built, 'not a url')).toBe(false)
    const dev = { ...built, devServerUrl: 'http://localhost:5173' }
    expect(isOwnPage(dev, 'http://localhost:5173/#/profiles')).toBe(true)
    expect(isOwnPage(dev, 'http://localhost:5174/')).toBe(false)
  })
})
