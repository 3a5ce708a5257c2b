import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { ApiErrorShape } from '../api/contract'
import { ApiError } from '../api/errors'
import type { BoardJob, BoardJobResult, BoardRunner } from '../api/services/board-work'

export interface WorkerRunnerOptions {
  /** How long one job may take before its worker is stopped. */
  deadlineMs?: number
  /** The heap one job may use: a hostile board runs out of it, not the host. */
  memoryMb?: number
}

/** Built next to the main bundle (electron-vite's `board-worker` entry); the source through tsx otherwise. */
function workerScript(): { script: string; eval: boolean } {
  const built = join(__dirname, 'board-worker.js')
  if (existsSync(built)) return { script: built, eval: false }
  const source = JSON.stringify(join(__dirname, 'board-worker.ts'))
  const loader = JSON.stringify(require.resolve('tsx/cjs'))
  return { script: `require(${loader}); require(${source})`, eval: true }
}

/**
 * Runs each board job on a worker thread of its own, so that the host's thread (the desktop
 * window's main process, the web host's event loop) keeps answering whatever the input.
 */
export function workerBoardRunner(options: WorkerRunnerOptions = {}): BoardRunner {
  const deadlineMs = options.deadlineMs ?? 20_000
  const { script, eval: isEval } = workerScript()
  return <J extends BoardJob>(job: J) =>
    new Promise<BoardJobResult<J>>((resolve, reject) => {
      const worker = new Worker(script, {
        eval: isEval,
        resourceLimits: { maxOldGenerationSizeMb: options.memoryMb ?? 2048 },
      })
      let settled = false
      const settle = (outcome: () => void) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        void worker.terminate()
        outcome()
      }
      const timer = setTimeout(
        () =>
          settle(() =>
            reject(
              new ApiError(
                'invalid-request',
                `${what(job)} took longer than ${deadlineMs / 1000} s to read and was stopped`,
              ),
            ),
          ),
        deadlineMs,
      )
      worker.once(
        'message',
        (reply: { ok: true; value: BoardJobResult<J> } | { ok: false; error: ApiErrorShape }) =>
          settle(() =>
            reply.ok
              ? resolve(reply.value)
              : reject(
                  new ApiError(reply.error.code, reply.error.message, reply.error.missingInclude),
                ),
          ),
      )
      worker.once('error', (error: Error & { code?: string }) =>
        settle(() =>
          reject(
            error.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? new ApiError(
                  'invalid-request',
                  `${what(job)} needs more memory than modlab gives a board`,
                )
              : error,
          ),
        ),
      )
      worker.once('exit', (code) =>
        settle(() => reject(new Error(`the board worker stopped (exit code ${code})`))),
      )
      worker.postMessage(job)
    })
}

function what(job: BoardJob): string {
  return job.kind === 'import' ? job.request.fileName : 'the tree'
}
