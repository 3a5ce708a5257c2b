import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { ApiErrorShape } from '../api/contract'
import { ApiError } from '../api/errors'
import type { BoardJob, BoardJobResult, BoardRunner } from '../api/services/board-work'
import type { LabJob, LabJobResult, LabRunner } from '../sessions/lab-engine'

export interface WorkerRunnerOptions {
  /** How long one job may take before its worker is stopped. */
  deadlineMs?: number
  /** The heap one job may use: a hostile board runs out of it, not the host. */
  memoryMb?: number
}

/** A runner whose worker the host stops when it closes. */
export type Closable<R> = R & { close(): Promise<void> }

/**
 * Built next to the main bundle (electron-vite's `board-worker` entry); the source through tsx
 * otherwise: beside this file, or one folder up when a bundle of the web host (the end-to-end
 * tests' own) says its `__dirname` is src-main/hosts/web.
 */
function workerScript(): { script: string; eval: boolean } {
  const built = join(__dirname, 'board-worker.js')
  if (existsSync(built)) return { script: built, eval: false }
  // The end-to-end tests bundle the worker beside their web host and name it here at build time.
  const bundled = process.env.MODLAB_WORKER_BUNDLE
  if (bundled && existsSync(bundled)) return { script: bundled, eval: false }
  const sources = [join(__dirname, 'board-worker.ts'), join(__dirname, '..', 'board-worker.ts')]
  const source = JSON.stringify(sources.find((path) => existsSync(path)) ?? sources[0])
  const loader = JSON.stringify(require.resolve('tsx/cjs'))
  return { script: `require(${loader}); require(${source})`, eval: true }
}

/**
 * Runs jobs on a worker thread, one at a time, so that the host's thread (the desktop window's
 * main process, the web host's event loop) keeps answering whatever the input. The worker stays
 * warm between jobs (the editor checks its tree at every edit, the Lab types into a booted
 * machine); a job past its deadline, out of memory or crashing takes its worker down, and the
 * next job starts a new one.
 */
function workerJobRunner<Job>(
  /** `boots`: the deadline is per board the job boots. */
  describe: (job: Job) => { what: string; doing: string; boots?: number },
  options: WorkerRunnerOptions,
): Closable<(job: Job) => Promise<unknown>> {
  const { script, eval: isEval } = workerScript()
  let current: Worker | undefined
  let queue: Promise<unknown> = Promise.resolve()

  const runOne = (job: Job) =>
    new Promise<unknown>((resolve, reject) => {
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
        reply: { ok: true; value: unknown } | { ok: false; error: ApiErrorShape },
      ) => {
        done()
        if (reply.ok) resolve(reply.value)
        else reject(new ApiError(reply.error.code, reply.error.message, reply.error.missingInclude))
      }
      const { what, doing, boots = 1 } = describe(job)
      const deadlineMs = (options.deadlineMs ?? 20_000) * boots
      const onError = (error: Error & { code?: string }) =>
        fail(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new ApiError('invalid-request', `${what} needs more memory than modlab gives a board`)
            : error,
        )
      const onExit = (code: number) => fail(new Error(`the worker stopped (exit code ${code})`))
      const timer = setTimeout(
        () =>
          fail(
            new ApiError(
              'invalid-request',
              `${what} took longer than ${deadlineMs / 1000} s to ${doing} and was stopped`,
            ),
          ),
        deadlineMs,
      )
      worker.on('message', onMessage).on('error', onError).on('exit', onExit)
      worker.postMessage(job)
    })

  const run = (job: Job) => {
    const result = queue.then(() => runOne(job))
    queue = result.catch(() => undefined)
    return result
  }
  const close = async () => {
    const worker = current
    current = undefined
    await worker?.terminate()
  }
  return Object.assign(run, { close })
}

/** Users' boards read and checked on their own worker. */
export function workerBoardRunner(options: WorkerRunnerOptions = {}): Closable<BoardRunner> {
  const run = workerJobRunner<BoardJob>(
    (job) => ({ what: job.kind === 'import' ? job.request.fileName : 'the tree', doing: 'read' }),
    options,
  )
  const runner = <J extends BoardJob>(job: J) => run(job) as Promise<BoardJobResult<J>>
  return Object.assign(runner, { close: run.close })
}

/**
 * The Lab's machines on their own worker, warmed at once with the default kernel when the host
 * asks (`warm`): a first boot loads thousands of modules, and that then happens while the window
 * or the page is still opening. A boot past the deadline loses the machines kept so far; the Lab
 * then says to boot again.
 */
export function workerLabRunner(
  resources: string,
  options: WorkerRunnerOptions & { warm?: boolean } = {},
): Closable<LabRunner> {
  const boardsOf = (profiles: string[] | 'all') =>
    profiles === 'all' ? readdirSync(join(resources, 'profiles')).length : profiles.length
  const run = workerJobRunner<LabJob>(
    (job) => ({
      what:
        job.kind === 'lab-boot'
          ? `booting ${job.request.profile}`
          : job.kind === 'lab-whatif'
            ? 'the what-if'
            : 'the Lab',
      doing: 'finish',
      // A what-if boots A and B on each board: as long per board as one Lab boot.
      boots: job.kind === 'lab-whatif' ? boardsOf(job.request.profiles) : 1,
    }),
    { deadlineMs: 60_000, ...options },
  )
  if (options.warm) void run({ kind: 'lab-warm', resources }).catch(() => undefined)
  const runner = <J extends LabJob>(job: J) => run(job) as Promise<LabJobResult<J>>
  return Object.assign(runner, { close: run.close })
}
