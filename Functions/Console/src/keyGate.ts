import { ApiClient, ApiError } from "./api.js";
import { byId } from "./dom.js";
import { forgetKey, loadKey, saveKey } from "./keyStore.js";
import type { Caller } from "./types.js";

/** Asks for the API key once, checks it with GET /v1/me, keeps it, and shows who it belongs to. */
export class KeyGate {
  private readonly dialog = byId<HTMLDialogElement>("key-dialog");
  private readonly input = byId<HTMLInputElement>("api-key");
  private readonly error = byId<HTMLParagraphElement>("key-error");
  private client: ApiClient | null = null;

  constructor(private readonly ready: () => void) {
    byId<HTMLFormElement>("key-form").addEventListener("submit", (event) => {
      event.preventDefault();
      void this.tryKey(this.input.value.trim());
    });
    byId("key-forget").addEventListener("click", () => {
      forgetKey();
      this.client = null;
      this.input.value = "";
      byId("caller").textContent = "";
    });
    byId("change-key").addEventListener("click", () => this.ask());
    this.dialog.addEventListener("cancel", (event) => {
      if (!this.client) event.preventDefault();
    });
  }

  get api(): ApiClient {
    if (!this.client) throw new Error("No API key yet.");
    return this.client;
  }

  async start(): Promise<void> {
    const key = loadKey();
    if (key) {
      await this.tryKey(key);
    } else {
      this.ask();
    }
  }

  private ask(message?: string): void {
    this.error.textContent = message ?? "";
    this.error.hidden = !message;
    if (!this.dialog.open) this.dialog.showModal();
    this.input.focus();
  }

  private async tryKey(key: string): Promise<void> {
    if (!key) {
      this.ask("Enter a key.");
      return;
    }
    const client = new ApiClient(key);
    let caller: Caller;
    try {
      caller = await client.me();
    } catch (error) {
      this.ask(error instanceof ApiError && error.status === 401 ? "This key is not accepted." : `The API could not be reached: ${String(error)}`);
      return;
    }
    saveKey(key);
    this.client = client;
    byId("caller").textContent = `${caller.owner} (${caller.key_kind} key)`;
    if (this.dialog.open) this.dialog.close();
    this.ready();
  }
}
