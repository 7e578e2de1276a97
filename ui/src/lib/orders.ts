// How orders read on screen: status names and tones, event and ledger wording, and what the
// Buy form asks for by product.

import type { JsonValue, OrderStatus, OrderView, ProductView } from './bindings';
import { compareDecimal } from './money.js';

export const STATUS_LABELS: Record<OrderStatus, string> = {
  prepared: 'Preparing',
  submitted: 'Sent',
  pending: 'Pending',
  unknown: 'Unknown',
  succeeded: 'Succeeded',
  failed: 'Failed',
  needs_attention: 'Needs attention',
  reversed: 'Reversed',
};

/** The statuses in the order the filter lists them. */
export const STATUSES: OrderStatus[] = [
  'succeeded',
  'pending',
  'unknown',
  'failed',
  'needs_attention',
  'reversed',
  'submitted',
  'prepared',
];

export type Tone = 'ok' | 'warn' | 'error' | 'neutral';

export function statusTone(status: OrderStatus): Tone {
  switch (status) {
    case 'succeeded':
      return 'ok';
    case 'failed':
    case 'reversed':
      return 'error';
    case 'needs_attention':
    case 'unknown':
      return 'warn';
    default:
      return 'neutral';
  }
}

/** Open orders can still move: the sweeper (or "Check status now") asks the provider. */
export function isOpen(status: OrderStatus): boolean {
  return status === 'prepared' || status === 'submitted' || status === 'pending' || status === 'unknown';
}

const EVENT_LABELS: Record<string, string> = {
  created: 'Order created',
  submitted: 'Sent to the provider',
  pending: 'Provider is processing',
  still_pending: 'Still processing',
  succeeded: 'Succeeded',
  failed: 'Failed',
  refused: 'Refused by the provider',
  outcome_unknown: 'No clear answer',
  reversed: 'Reversed by the provider',
  reversed_before_success: 'Refunded before success',
  never_sent: 'Never sent',
  check_later: 'Checked again later',
  cannot_check: 'Cannot check automatically',
  conflicting_answer: 'Conflicting answer',
  not_found: 'Not found at the provider yet',
  never_arrived: 'Never arrived at the provider',
  booked_late: 'Booked late by the provider',
  found_pending: 'Found at the provider, still processing',
  late_error: 'Late answer: no result',
  reviewed: 'Checked again after the result',
  resolved_succeeded: 'Resolved by hand: done',
  resolved_failed: 'Resolved by hand: not done',
};

export function eventLabel(kind: string): string {
  return EVENT_LABELS[kind] ?? kind.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

/** One line from an event's JSON detail: the provider's message or error, else nothing. */
export function eventDetail(detail: JsonValue): string | null {
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
    return typeof detail === 'string' && detail !== '' ? detail : null;
  }
  for (const key of ['message', 'error', 'note']) {
    const v = detail[key];
    if (typeof v === 'string' && v.trim() !== '') return v;
  }
  return null;
}

export const ENTRY_LABELS: Record<string, string> = {
  hold: 'Hold',
  settle: 'Settle',
  release: 'Release',
  reversal: 'Reversal',
  adjustment: 'Adjustment',
};

/** What an entry does to the wallet, for the ledger table. */
export const ENTRY_HELP: Record<string, string> = {
  hold: 'Set aside while the order is open',
  settle: 'Spent: the order succeeded',
  release: 'Given back: the order failed, or the provider took less than was held',
  reversal: 'Refunded by the provider',
  adjustment: 'Charged beyond the hold (a fee the provider adds in its answer), or a correction',
};

/** The provider took another amount than was held (a discount, or a fee on top). */
export function chargeDiffers(o: OrderView): boolean {
  return o.charged !== null && compareDecimal(o.charged.amount, o.cost.amount) !== 0;
}

export type RecipientKind = 'phone' | 'smartcard' | 'meter' | 'account' | 'link';

/** What the recipient field asks for: validated products name a smartcard or meter. */
export function recipientKind(product: Pick<ProductView, 'category_code' | 'requires_validation'>): RecipientKind {
  if (product.category_code === 'cable-tv') return 'smartcard';
  if (product.category_code === 'electricity') return 'meter';
  if (product.category_code === 'smm') return 'link';
  if (product.requires_validation) return 'account';
  return 'phone';
}

export const RECIPIENT_LABELS: Record<RecipientKind, string> = {
  phone: 'Phone number',
  smartcard: 'Smartcard number',
  meter: 'Meter number',
  account: 'Account number',
  link: 'Link to the profile or post',
};

/** The recipient as sent: what the cashier typed without spaces and dashes, as place.rs reads it. */
export function normaliseRecipient(typed: string): string {
  const t = typed.trim();
  // A link (an SMM order's profile or post) or an email keeps its dashes.
  if (t.includes('/') || t.includes('@')) return t;
  return t.replace(/[\s-]/g, '');
}
