/** Bad usage: the CLI exits 2 and shows the command's help. */
export class UsageError extends Error {}

/** A user error (unknown profile, malformed file, refused request): the CLI exits 1 with the message. */
export class UserError extends Error {}
