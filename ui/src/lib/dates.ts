// Timestamps arrive as RFC 3339 text in UTC; people read them in their own time zone.

const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });
const dayAndTime = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** "14:05" today, "3 Mar, 14:05" on another day; the text as-is if it is not a date. */
export function formatWhen(stamp: string, now: Date = new Date()): string {
  const d = new Date(stamp);
  if (Number.isNaN(d.getTime())) return stamp;
  return d.toDateString() === now.toDateString() ? time.format(d) : dayAndTime.format(d);
}

const fullDate = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** "3 Mar 2025, 14:05:09": for receipts and order history, where the year and second matter. */
export function formatDateTime(stamp: string): string {
  const d = new Date(stamp);
  return Number.isNaN(d.getTime()) ? stamp : fullDate.format(d);
}

const relative = new Intl.RelativeTimeFormat('en-GB', { numeric: 'auto' });
const dayMonthYear = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/**
 * How long ago, for data that ages: "just now", "5 minutes ago", "3 hours ago"; after a
 * day, "on 3 Mar 2025, 14:05". The text as-is if it is not a date.
 */
export function formatAge(stamp: string, now: Date = new Date()): string {
  const d = new Date(stamp);
  if (Number.isNaN(d.getTime())) return stamp;
  // A clock a little ahead of the backend's is still "just now", not "in 2 seconds".
  const minutes = Math.floor((now.getTime() - d.getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return relative.format(-minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return relative.format(-hours, 'hour');
  return `on ${dayMonthYear.format(d)}`;
}
