import type { Capabilities } from './bindings';

/** What each capability is called on screen, in the order chips are shown. */
export const CAPABILITY_LABELS: Record<keyof Capabilities, string> = {
  catalogue: 'Catalogue',
  purchase: 'Purchases',
  balance: 'Balance',
  validate_account: 'Account validation',
  status_by_reference: 'Status by reference',
  provider_history: 'Provider history',
  voucher_resend: 'Voucher resend',
  delivery_update: 'Delivery update',
  esim: 'eSIM',
  push: 'Push updates',
};

export function enabledCapabilities(c: Capabilities): string[] {
  return (Object.keys(CAPABILITY_LABELS) as (keyof Capabilities)[])
    .filter((k) => c[k])
    .map((k) => CAPABILITY_LABELS[k]);
}
