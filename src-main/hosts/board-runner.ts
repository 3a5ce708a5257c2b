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

/**
 * Built next to the main bundle (electron-vite's `board-worker` entry); the source through tsx
 * otherwise: beside this file, or one folder up when a bundle of the web host (the end-to-end
 * tests' own) says its `__dirname` is src-main/hosts/web.
 */
function workerScript(): { script: string; eval: boolean } {
  const built = join(__dirname, 'board-worker.js')
  if (existsSync(built)) return { script: built, eval: false }
  const sources = [join(__dirname, 'board-worker.ts'), join(__dirname, '..', 'board-worker.ts')]
  const source = JSON.stringify(sources.find((path) => existsSync(path)) ?? sources[0])
  const loader = JSON.stringify(require.resolve('tsx/cjs'))
  return { script: `require(${loader}); require(${source})`, eval: true }
}

/**
 * Runs board jobs on a worker thread, one at a time, so that the host's thread (the desktop
 * window's main process, the web host's event loop) keeps answering whatever the input. The
 * worker stays warm between jobs (the editor checks its tree at every edit); a job past its
 * deadline, out of memory or crashing takes its worker down, and the next job starts a new one.
 */
export function workerBoardRunner(options: WorkerRunnerOptions = {}): BoardRunner {
  const deadlineMs = options.deadlineMs ?? 20_000
  const { script, eval: isEval } = workerScript()
  let current: Worker | undefined
  let queue: Promise<unknown> = Promise.resolve()

  const runOne = <J extends BoardJob>(job: J) =>
    new Promise<BoardJobResult<J>>((resolve, reject) => {
      const worker = (current ??= new Worker(script, {
        eval: isEval,
        resourceLimits: { maxOldGenerationSizeMb: options.memoryMb ?? 2048 },
      }))
      worker.unref()
      const done = () => {
        clearTimeout(timer)
        worker.off('message', onMessage).off('error', onError).off('exit', onExit)
      }
      const fail = (error: Error) => {
        done()
        if (current === worker) current = undefined
        void worker.terminate()
        reject(error)
      }
      const onMessage = (
        reply: { ok: true; value: BoardJobResult<J> } | { ok: false; error: ApiErrorShape },
      ) => {
        done()
        if (reply.ok) resolve(reply.value)
        else reject(new ApiError(reply.error.code, reply.error.message, reply.error.missingInclude))
      }
      const onError = (error: Error & { code?: string }) =>
        fail(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new ApiError(
                'invalid-request',
                `${what(job)} needs more memory than modlab gives a board`,
              )
            : error,
        )
      const onExit = (code: number) =>
        fail(new Error(`the board worker stopped (exit code ${code})`))
      const timer = setTimeout(
        () =>
          fail(
            new ApiError(
              'invalid-request',
              `${what(job)} took longer than ${deadlineMs / 1000} s to read and was stopped`,
            ),
          ),
        deadlineMs,
      )
      worker.on('message', onMessage).on('error', onError).on('exit', onExit)
      worker.postMessage(job)
    })

  return <J extends BoardJob>(job: J) => {
    const result = queue.then(() => runOne(job))
    queue = result.catch(() => undefined)
    return result
  }
}

function what(job: BoardJob): string {
  return job.kind === 'import' ? job.request.fileName : 'the tree'
}
