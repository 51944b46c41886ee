// Human-readable times and durations for the header and the turn meta line.

export function formatDuration(ms: number | null | undefined): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    return '';
  }
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** The time of day of an ISO timestamp, or the raw text when it does not parse. */
export function formatClock(iso: string | null | undefined): string {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString();
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) {
    return '—';
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/**
 * What the header shows before the 30-minute expiry: "12:05 left", "1:02:00 left", "expired".
 * Returns null when the session has no expiry (not started, or the host does not know it).
 */
export function formatTimeLeft(expiresAt: string | null | undefined, now: number): string | null {
  if (!expiresAt) {
    return null;
  }
  const end = new Date(expiresAt).getTime();
  if (Number.isNaN(end)) {
    return null;
  }
  const seconds = Math.ceil((end - now) / 1000);
  if (seconds <= 0) {
    return 'expired';
  }
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const secs = String(seconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${secs}` : `${minutes}:${secs}`;
}
