import type { createAppContext } from '../../src-main/hosts/app-context'

/** One request through the dispatcher; a refusal is thrown as an Error carrying its code. */
export async function call<T>(
  context: ReturnType<typeof createAppContext>,
  channel: string,
  request: unknown,
) {
  const result = await context.dispatch(channel as never, request)
  if (!result.ok) throw Object.assign(new Error(result.error.message), result.error)
  return result.value as T
}
