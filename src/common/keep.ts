/** Puts `value` last in `map` (the newest), dropping the oldest entry when `max` are kept. */
export function keep<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  if (map.size >= max) map.delete(map.keys().next().value!);
  map.set(key, value);
}
