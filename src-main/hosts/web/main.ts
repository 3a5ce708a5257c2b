import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { appRoot, defaultDataDir } from '../../paths'
import { createAppContext } from '../app-context'
import { startWebHost } from './server'

const HELP = `Usage: npm run web -- [--port N] [--data-dir DIR] [--renderer-dir DIR]

Serves the modlab app and its API on http://127.0.0.1:PORT/ (loopback only).
  --port N         the port to listen on (default 5217; 0 picks a free one)
  --data-dir DIR   where modlab keeps its database (default: $XDG_DATA_HOME/modlab or ~/.local/share/modlab)
  --renderer-dir DIR  the built renderer to serve (default: out/renderer, made by "npm run build")
  -h, --help       show this help
`

async function main(): Promise<number> {
  let values: { port?: string; 'data-dir'?: string; 'renderer-dir'?: string; help?: boolean }
  try {
    values = parseArgs({
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'renderer-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values
  } catch (error) {
    process.stderr.write(`modlab web: ${(error as Error).message}\n\n${HELP}`)
    return 2
  }
  if (values.help) {
    process.stdout.write(HELP)
    return 0
  }
  const port = Number(values.port ?? 5217)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(
      `modlab web: --port must be a whole number from 0 to 65535, got "${values.port}"\n`,
    )
    return 2
  }
  const dataDir = values['data-dir'] ?? defaultDataDir()
  try {
    const context = createAppContext({ host: 'web', dataDir, boardWorkers: true, warmLab: true })
    const host = await startWebHost({
      dispatch: context.dispatch,
      rendererDir: values['renderer-dir'] ?? join(appRoot(), 'out', 'renderer'),
      port,
    })
    process.stdout.write(
      `modlab web host listening on ${host.url} (data: ${dataDir})\n` +
        "Open that address: it carries this launch's access token, which the app needs.\n",
    )
    const stop = () => void host.close().then(() => context.close())
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    return 0
  } catch (error) {
    process.stderr.write(`modlab web: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}

void main().then((code) => {
  if (code !== 0) process.exit(code)
})
