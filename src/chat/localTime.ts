// Times as an author reads them in a tab, a row or a list: in their own time zone, short.

/** `2026-12-06 10:42`: sorted as it reads. An unreadable text is returned as it is. */
export function localDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${clock(date)}`;
}

/** `10:42` on the day of `now`, `Dec 5 10:42` before it. */
export function shortLocalTime(iso: string, now: number): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  const today = new Date(now);
  const sameDay = date.getFullYear() === today.getFullYear() && date.getMonth() === today.getMonth() && date.getDate() === today.getDate();
  return sameDay ? clock(date) : `${date.toLocaleString('en', { month: 'short' })} ${date.getDate()} ${clock(date)}`;
}

function clock(date: Date): string {
  return `${two(date.getHours())}:${two(date.getMinutes())}`;
}

function two(value: number): string {
  return String(value).padStart(2, '0');
}
