import { phandleArgsClass } from './resource-types'

/** Mailboxes: mbox_request_channel() finds no controller for the node and returns -EPROBE_DEFER (drivers/mailbox/mailbox.c). */
export const mboxResource = phandleArgsClass(
  'mbox',
  'mboxes',
  '#mbox-cells',
  'defer',
  'drivers/mailbox/mailbox.c of_mbox_index_xlate',
)
