import { runCli } from '../../../src-main/hosts/cli/cli'

/** Runs the CLI in-process with `argv` (plus `--data-dir dataDir` when given), capturing its output. */
export async function runCapturing(argv: string[], dataDir?: string, env = {}) {
  let stdout = ''
  let stderr = ''
  const code = await runCli(dataDir ? [...argv, '--data-dir', dataDir] : argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env,
  })
  return { code, stdout, stderr }
}
