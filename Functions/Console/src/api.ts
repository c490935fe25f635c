import { readTaskEvents, type TaskEventHandlers } from "./taskEvents.js";
import type { Caller, RuntimeView, SubmitRequest, TaskList, TaskView, UploadView, UsageView } from "./types.js";

/** An RFC 9457 problem answer; `errors` names each bad field on a 422. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: Record<string, string[]>,
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

/**
 * The task API, called with the user's key in x-api-key. Paths are relative to the page (../v1/...), so the console
 * works wherever the API is mounted: http://localhost:5080/console/ or https://.../Prod/console/.
 */
export class ApiClient {
  constructor(private readonly key: string, private readonly base = new URL("../", document.baseURI)) {}

  /** The API's URL for a path, for the console's curl lines. */
  url(path: string): string {
    return new URL(path, this.base).toString();
  }

  me(): Promise<Caller> {
    return this.send<Caller>("GET", "v1/me");
  }

  runtimes(): Promise<{ runtimes: RuntimeView[] }> {
    return this.send("GET", "v1/runtimes");
  }

  listTasks(query: { status?: string; cursor?: string; limit?: number }): Promise<TaskList> {
    const params = new URLSearchParams();
    if (query.limit) params.set("limit", String(query.limit));
    if (query.status) params.set("status", query.status);
    if (query.cursor) params.set("cursor", query.cursor);
    const search = params.toString();
    return this.send<TaskList>("GET", search ? `v1/tasks?${search}` : "v1/tasks");
  }

  getTask(id: string): Promise<TaskView> {
    return this.send<TaskView>("GET", `v1/tasks/${encodeURIComponent(id)}`);
  }

  /** Follows a task's event stream until the task ends; rejects when the stream cannot be opened or breaks. */
  async followTask(id: string, handlers: TaskEventHandlers, signal: AbortSignal): Promise<void> {
    const response = await fetch(new URL(`v1/tasks/${encodeURIComponent(id)}/events`, this.base), {
      headers: { "x-api-key": this.key, accept: "text/event-stream" },
      cache: "no-store",
      credentials: "omit",
      signal,
    });
    if (!response.ok || !response.body) throw new ApiError(response.status, `HTTP ${response.status}`, "The task's event stream could not be opened.", {});
    await readTaskEvents(response.body, handlers);
  }

  submit(request: SubmitRequest): Promise<TaskView> {
    return this.send<TaskView>("POST", "v1/tasks", request);
  }

  /** A presigned upload for a file of this type and size (POST /v1/uploads). */
  createUpload(contentType: string, size: number): Promise<UploadView> {
    return this.send<UploadView>("POST", "v1/uploads", { content_type: contentType, size });
  }

  /** PUTs the file to its presigned URL, with the signed Content-Type (the browser sets Content-Length from the body). */
  async upload(upload: UploadView, file: Blob): Promise<void> {
    const response = await fetch(upload.upload_url, {
      method: upload.method,
      headers: { "content-type": upload.headers["Content-Type"] ?? file.type },
      body: file,
      credentials: "omit",
    });
    if (!response.ok) throw new ApiError(response.status, `The upload was refused (HTTP ${response.status}).`, undefined, {});
  }

  /** An output PNG's text chunks; `parameters` is the AUTOMATIC1111 infotext. */
  outputText(id: string, index: number): Promise<{ text: Record<string, string> }> {
    return this.send("GET", `v1/tasks/${encodeURIComponent(id)}/outputs/${index}/text`);
  }

  cancel(id: string): Promise<TaskView> {
    return this.send<TaskView>("DELETE", `v1/tasks/${encodeURIComponent(id)}`);
  }

  /** A new task with a failed, canceled or expired task's parameters, linked to it by retry_of. */
  retry(id: string): Promise<TaskView> {
    return this.send<TaskView>("POST", `v1/tasks/${encodeURIComponent(id)}/retry`);
  }

  /** The key's usage per UTC day and runtime, from and to inclusive (yyyy-mm-dd). */
  usage(from: string, to: string): Promise<UsageView> {
    return this.send<UsageView>("GET", `v1/usage?${new URLSearchParams({ from, to }).toString()}`);
  }

  private async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { "x-api-key": this.key, accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(new URL(path, this.base), {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      cache: "no-store",
      credentials: "omit",
    });
    const text = await response.text();
    const json: unknown = text ? safeParse(text) : undefined;
    if (!response.ok) {
      const problem = (json ?? {}) as { title?: string; detail?: string; errors?: Record<string, string[]> };
      throw new ApiError(response.status, problem.title ?? `HTTP ${response.status}`, problem.detail, problem.errors ?? {});
    }
    return json as T;
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { title: text.slice(0, 200) };
  }
}
