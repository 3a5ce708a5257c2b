import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { expect } from 'vitest'
import { inCi } from './tools'

/**
 * Compares with a golden file. `UPDATE_GOLDEN=1` rewrites it; a missing one is written outside CI
 * (for review before commit) and is a failure in CI, where nobody reviews what it would write.
 */
export function expectGolden(actual: string, file: string): void {
  if (process.env.UPDATE_GOLDEN || (!existsSync(file) && !inCi())) writeFileSync(file, actual)
  if (!existsSync(file))
    throw new Error(
      `the golden file ${file} is missing; write it with UPDATE_GOLDEN=1, review it and commit it`,
    )
  expect(actual).toBe(readFileSync(file, 'utf8'))
}
