import type { BusState } from './bus.js';

/**
 * Where /readyz reads the real-time backend's state: each runtime (its AppContext) registers the
 * bus its hub or relay runs on. Two instances in one process each report their own.
 */
const states = new WeakMap<object, () => BusState>();

export function reportRealtimeState(owner: object, state: () => BusState): void {
  states.set(owner, state);
}

export function realtimeState(owner: object): BusState | null {
  return states.get(owner)?.() ?? null;
}
