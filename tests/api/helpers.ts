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

const sessions = new WeakMap<object, number>()

/** The session a test's boots go into: one per context, created at its first boot. */
export function sessionOf(context: ReturnType<typeof createAppContext>): number {
  let id = sessions.get(context)
  if (id === undefined) {
    id = context.store.sessions.create('tests').id
    sessions.set(context, id)
  }
  return id
}
