// Simulated time: whole seconds since the epoch, UTC days counted from the start date, and the trace's `t` form.

export const SECONDS_PER_DAY = 86_400;

/** Seconds since the epoch of midnight UTC of `date` (YYYY-MM-DD), or undefined if it is not a real date. */
export function parseStartDate(date: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) return undefined;
  return ms / 1000;
}

/** `t` of a trace line: ISO 8601 UTC to the second. */
export function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** Day of the week of a UTC day, 0 = Sunday. */
export function weekday(dayStart: number): number {
  return new Date(dayStart * 1000).getUTCDay();
}

/** UTC calendar year and zero-based day of the year of an instant. */
export function yearAndDay(seconds: number): { readonly year: number; readonly dayOfYear: number } {
  const date = new Date(seconds * 1000);
  const year = date.getUTCFullYear();
  return { year, dayOfYear: Math.floor((seconds - Date.UTC(year, 0, 1) / 1000) / SECONDS_PER_DAY) };
}
