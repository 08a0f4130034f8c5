// Owners are user-chosen strings used as object keys in plain-JSON state. Reading them
// through `hasOwnProperty` keeps names like `constructor` from finding Object.prototype.
export function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
