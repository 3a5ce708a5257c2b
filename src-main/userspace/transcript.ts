import type { CommandRecord } from './shell'

/**
 * A shell session as a terminal on the serial console shows it: the prompt and command, what the
 * command printed (stdout, then stderr), and the kernel lines it caused; `[exit N]` after a failure.
 */
export function formatTranscript(records: readonly CommandRecord[]): string {
  let out = ''
  for (const record of records) {
    out += `# ${record.command}\n${record.stdout}${record.stderr}`
    for (const line of record.kernelLines) out += `${line}\n`
    if (record.exitCode !== 0) out += `[exit ${record.exitCode}]\n`
  }
  return out
}
