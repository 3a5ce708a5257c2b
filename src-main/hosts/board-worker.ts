/** A worker thread's entry: one board job in, its result (or its `{code, message}`) out. */
import { parentPort } from 'node:worker_threads'
import { runBoardJob, type BoardJob } from '../api/services/board-work'
import { ApiError } from '../api/errors'

parentPort?.on('message', (job: BoardJob) => {
  try {
    parentPort?.postMessage({ ok: true, value: runBoardJob(job) })
  } catch (error) {
    const { code, message, missingInclude } =
      error instanceof ApiError
        ? error
        : { code: 'internal', message: (error as Error).message, missingInclude: undefined }
    parentPort?.postMessage({ ok: false, error: { code, message, missingInclude } })
  }
})
