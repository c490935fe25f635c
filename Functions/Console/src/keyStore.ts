// The API key lives in this browser's local storage only: never in a URL, never sent anywhere but the x-api-key header.
const StorageKey = "sdserverless.console.apiKey";

export function loadKey(): string | null {
  return localStorage.getItem(StorageKey);
}

export function saveKey(key: string): void {
  localStorage.setItem(StorageKey, key);
}

export function forgetKey(): void {
  localStorage.removeItem(StorageKey);
}
