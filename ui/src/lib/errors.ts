// Commands throw an `ErrorView {code, message, field}`. Anything else that reaches a catch
// (a bug in the UI, a missing IPC bridge) is shown the same way, as an internal error.

import type { ErrorCode, ErrorView } from './bindings';

function isErrorView(e: unknown): e is ErrorView {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'string' &&
    typeof (e as { message?: unknown }).message === 'string'
  );
}

export function toErrorView(e: unknown): ErrorView {
  if (isErrorView(e)) return { code: e.code, message: e.message, field: e.field ?? null };
  const detail = e instanceof Error ? e.message : typeof e === 'string' ? e : String(e);
  return {
    code: 'internal',
    message: `Internal error (${detail}). Please send the log file to support.`,
    field: null,
  };
}

/** What to check next after a failed connection test, by code. */
const CONNECTION_HINTS: Partial<Record<ErrorCode, string>> = {
  provider_auth: 'Check the credentials',
  provider_unreachable: 'Check the base URL and the connection',
  missing_credentials: 'Enter the missing secret',
  rate_limited: 'Wait a minute, then test again',
  provider_bad_response: 'If this keeps happening, send the log file to support',
  secret_store_unavailable: 'Unlock the OS keychain, then test again',
};

export function connectionHint(code: ErrorCode): string | null {
  return CONNECTION_HINTS[code] ?? null;
}

/**
 * An `invalid_input` message reads "api_key: API key is required"; under the field itself
 * the "api_key: " prefix is noise.
 */
export function fieldMessage(error: ErrorView): string {
  const prefix = error.field ? `${error.field}: ` : '';
  const text = prefix && error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
