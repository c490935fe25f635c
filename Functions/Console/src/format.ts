export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "–";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return "–";
  return new Date(iso).toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" });
}

export function progressFraction(progress: { step: number; steps: number } | null | undefined, status: string): number {
  if (status === "succeeded") return 1;
  if (!progress || progress.steps <= 0) return 0;
  return Math.min(1, progress.step / progress.steps);
}

/** An estimated cost in US dollars: cents for sums, more digits for the fractions of a cent one small task costs. */
export function usd(value: number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  return `$${value.toFixed(value !== 0 && Math.abs(value) < 0.01 ? 6 : 2)}`;
}

export function count(value: number): string {
  return value.toLocaleString("en-US");
}

export function gpuSeconds(value: number): string {
  return `${value.toFixed(value < 10 ? 2 : 1)} s`;
}

/** The UTC date (yyyy-mm-dd) of a moment. */
export function utcDate(moment: Date): string {
  return moment.toISOString().slice(0, 10);
}
