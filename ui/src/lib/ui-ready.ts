// The startup benchmark reads one "painted" marker per run, printed when the UI calls
// `ui_ready`. Module state, so coming back to the dashboard later does not send it again.

import { tick } from 'svelte';
import { commands } from './bindings';

const reported = new Set<string>();

/** Tells the shell `view` has painted real data, once per app run, after the next frame. */
export async function reportPainted(view: string): Promise<void> {
  if (reported.has(view)) return;
  reported.add(view);
  await tick();
  await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
  try {
    await commands.uiReady(view);
  } catch {
    // Only the benchmark listens; a failure here must not disturb the user.
  }
}
