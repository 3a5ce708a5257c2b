#!/usr/bin/env node
// Renders resources/icons/modlab.svg to the 1024 px resources/icons/icon.png electron-builder
// turns into every platform's icon. Uses Debian's Chromium (CHROMIUM_PATH to override).
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from '@playwright/test'

const icons = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'icons')
const svg = readFileSync(join(icons, 'modlab.svg'), 'utf8').replace(
  '<svg ',
  '<svg width="1024" height="1024" ',
)
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
})
const page = await browser.newPage({ viewport: { width: 1024, height: 1024 } })
await page.setContent(`<html><body style="margin:0">${svg}</body></html>`)
await page.screenshot({ path: join(icons, 'icon.png'), omitBackground: true })
await browser.close()
console.log(`wrote ${join(icons, 'icon.png')}`)
