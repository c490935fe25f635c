import { ApiClient } from "./api.js";
import { curlFor, requestOf } from "./curl.js";
import { append, byId, h } from "./dom.js";
import { count, dateTime, duration, gpuSeconds, progressFraction, usd } from "./format.js";
import { Lightbox } from "./lightbox.js";
import { isActive, isRetryable, type SubmitRequest, type TaskView } from "./types.js";

const RefreshMs = 1000;

/**
 * One task: status and progress, timings, parameters, error, webhooks, images, its curl line; cancel, retry and run
 * again. While the task runs the page follows its event stream; where the stream cannot be had it reads the task every
 * second.
 */
export class TaskDetail {
  private readonly container = byId<HTMLDivElement>("task-detail");
  private readonly lightbox = new Lightbox();
  private timer: number | undefined;
  private live: AbortController | undefined;
  private shownId: string | undefined;
  /** The task whose stream failed: it is polled from then on. */
  private pollingId: string | undefined;

  constructor(
    private readonly api: () => ApiClient,
    private readonly runAgain: (request: SubmitRequest) => void,
    private readonly open: (id: string) => void,
  ) {}

  async show(id: string): Promise<void> {
    this.stop();
    if (this.shownId !== id) this.container.replaceChildren(h("p", { class: "hint" }, "Loading…"));
    this.shownId = id;
    try {
      const task = await this.api().getTask(id);
      if (this.shownId !== id) return;
      this.render(task);
      if (isActive(task.status)) this.follow(id);
      else if (task.outputs.length > 0) await this.showInfotext(id, 0);
    } catch (error) {
      this.container.replaceChildren(h("p", { class: "error", role: "alert" }, error instanceof Error ? error.message : String(error)));
    }
  }

  stop(): void {
    window.clearTimeout(this.timer);
    this.timer = undefined;
    this.live?.abort();
    this.live = undefined;
  }

  /** Live updates: the task's event stream, or a read every second once the stream has failed for this task. */
  private follow(id: string): void {
    if (this.pollingId === id) {
      this.container.dataset["live"] = "polling";
      this.timer = window.setTimeout(() => void this.show(id), RefreshMs);
      return;
    }
    const live = new AbortController();
    this.live = live;
    this.container.dataset["live"] = "stream";
    this.api().followTask(id, {
      status: (task) => {
        if (this.shownId === id) this.render(task);
      },
      progress: (progress) => {
        if (this.shownId !== id) return;
        const bar = document.getElementById("task-progress") as HTMLProgressElement | null;
        if (bar) bar.value = progress.share;
        const step = document.getElementById("task-step");
        if (step) step.textContent = `step ${progress.step} of ${progress.steps}`;
      },
    }, live.signal).then(
      // The stream ends after the task's end: read it once more for its images and infotext.
      () => {
        if (!live.signal.aborted && this.shownId === id) void this.show(id);
      },
      () => {
        if (live.signal.aborted || this.shownId !== id) return;
        this.pollingId = id;
        void this.show(id);
      });
  }

  hide(): void {
    this.stop();
    this.shownId = undefined;
  }

  private render(task: TaskView): void {
    const fraction = progressFraction(task.progress, task.status);
    const request = requestOf(task);
    const actions = h("div", { class: "actions" });
    if (isActive(task.status)) {
      actions.append(h("button", { id: "cancel-task", type: "button", class: "danger", onclick: () => void this.cancel(task.id) }, "Cancel"));
    }
    if (isRetryable(task.status)) {
      actions.append(h("button", { id: "retry-task", type: "button", onclick: () => void this.retry(task.id) }, "Retry"));
    }
    actions.append(h("button", { id: "run-again", type: "button", onclick: () => this.runAgain(request) }, "Run again"));

    // The page re-renders on each status change (every second when polling): keep the keyboard focus where it was.
    const focused = document.activeElement?.id;
    this.container.replaceChildren();
    append(this.container,
      h("div", { class: "task-head" },
        h("span", { id: "task-status", class: `badge ${task.status}` }, task.status),
        h("code", { id: "task-id" }, task.id),
        actions),
      h("progress", { id: "task-progress", max: 1, value: fraction, "aria-label": "progress" }),
      h("p", { id: "task-step", class: "hint" }, task.progress ? `step ${task.progress.step} of ${task.progress.steps}` : ""),
      task.error ? h("p", { id: "task-error", class: "error", role: "alert" }, h("code", {}, task.error.code), " ", task.error.message) : null,
      links(task, this.open),
      images(task, this.lightbox, (index) => void this.showInfotext(task.id, index)),
      task.outputs.length > 0 ? section("Infotext", h("pre", { id: "task-infotext", class: "code wrap", tabindex: 0 }, "Loading…")) : null,
      h("div", { class: "columns" },
        h("div", {},
          section("Timings", table([
            ["created", dateTime(task.created_at)],
            ["started", dateTime(task.started_at)],
            ["finished", dateTime(task.finished_at)],
            ["deadline", dateTime(task.deadline)],
            ["in queue", duration(task.queue_ms)],
            ["running", duration(task.run_ms)],
          ])),
          usage(task)),
        section("Parameters", table([
          ["runtime", task.runtime],
          ["priority", task.priority ?? "normal"],
          ["task type", task.task_type],
          ...Object.entries(task.parameters ?? {})
            .filter(([k]) => k !== "denoising_strength" || task.task_type === "image-to-image")
            .map(([k, v]) => [k.replace(/_/g, " "), v === null ? "–" : String(v)] as [string, string]),
          ["output location", task.output_location],
          ["callback URL", task.callback_url ?? "–"],
        ]))),
      webhooks(task),
      section("As curl",
        h("pre", { id: "task-curl", class: "code", tabindex: 0 }, curlFor(this.api().url("v1/tasks"), request)),
        h("button", { id: "copy-curl", type: "button", onclick: (e: Event) => void copy(e.currentTarget as HTMLButtonElement, request, this.api()) }, "Copy")),
    );
    if (focused) document.getElementById(focused)?.focus();
  }

  /** The PNG infotext of one image, read by the API from the image itself. */
  private async showInfotext(id: string, index: number): Promise<void> {
    const target = document.getElementById("task-infotext");
    if (!target) return;
    try {
      const { text } = await this.api().outputText(id, index);
      target.textContent = text["parameters"] ?? Object.entries(text).map(([k, v]) => `${k}: ${v}`).join("\n");
    } catch (error) {
      target.textContent = `The infotext could not be read: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** Submits the task again as a new task (POST /v1/tasks/{id}/retry) and opens the new one. */
  private async retry(id: string): Promise<void> {
    try {
      const retry = await this.api().retry(id);
      this.open(retry.id);
    } catch (error) {
      append(this.container, h("p", { id: "retry-error", class: "error", role: "alert" }, error instanceof Error ? error.message : String(error)));
    }
  }

  private async cancel(id: string): Promise<void> {
    try {
      await this.api().cancel(id);
    } catch (error) {
      append(this.container, h("p", { class: "error", role: "alert" }, error instanceof Error ? error.message : String(error)));
    }
    await this.show(id);
  }
}

function images(task: TaskView, lightbox: Lightbox, infotext: (index: number) => void): HTMLElement | null {
  if (task.outputs.length === 0) return null;
  return h("ul", { id: "task-images", class: "images" },
    ...task.outputs.map((output, i) => {
      const name = `${task.id}-${i}.png`;
      const description = `Image ${i + 1} of task ${task.id}, seed ${output.seed}`;
      return h("li", {},
        h("button", { type: "button", class: "thumb", title: "Enlarge", onclick: () => lightbox.show(output.url, name, description) },
          h("img", { src: output.url, alt: description, loading: "lazy" })),
        h("span", { class: "hint" }, `seed ${output.seed} · `, h("a", { href: output.url, download: name }, "download"), " · ",
          h("button", { type: "button", class: "link", onclick: () => infotext(i) }, "infotext")));
    }));
}

/** The tasks a retry links: the one this retries and the latest that retries it. */
function links(task: TaskView, open: (id: string) => void): HTMLElement | null {
  const link = (id: string, linkId: string) =>
    h("button", { id: linkId, type: "button", class: "link", onclick: () => open(id) }, id);
  if (!task.retry_of && !task.retried_by) return null;
  return h("p", { class: "hint" },
    ...(task.retry_of ? ["retries ", link(task.retry_of, "task-retry-of")] : []),
    ...(task.retry_of && task.retried_by ? [" · "] : []),
    ...(task.retried_by ? ["retried by ", link(task.retried_by, "task-retried-by")] : []));
}

/** What the ended task used: its wait and run, GPU seconds, images, pixels and the estimated cost. */
function usage(task: TaskView): HTMLElement | null {
  const used = task.usage;
  if (!used) return null;
  const content = table([
    ["in queue", duration(used.queue_ms)],
    ["running", duration(used.run_ms)],
    ["GPU seconds", gpuSeconds(used.gpu_seconds)],
    ["images", count(used.images)],
    ["pixels", count(used.pixels)],
    ["estimated cost", usd(used.cost_usd)],
  ]);
  content.id = "task-usage";
  return section("Usage", content);
}

function webhooks(task: TaskView): HTMLElement | null {
  if (!task.callback_url) return null;
  const rows = (task.webhooks ?? []).map((w) =>
    [w.event, `${w.status}, ${w.attempts} attempt${w.attempts === 1 ? "" : "s"}${w.delivered_at ? `, ${dateTime(w.delivered_at)}` : ""}${w.last_error ? `: ${w.last_error}` : ""}`] as [string, string]);
  const content = rows.length > 0 ? table(rows) : h("p", { class: "hint" }, "None sent yet.");
  content.id = "task-webhooks";
  return section("Webhooks", content);
}

function section(title: string, ...content: (Node | null)[]): HTMLElement {
  return h("section", { class: "part" }, h("h3", {}, title), ...content);
}

function table(rows: [string, string][]): HTMLTableElement {
  return h("table", { class: "facts" }, h("tbody", {}, ...rows.map(([k, v]) => h("tr", {}, h("th", { scope: "row" }, k), h("td", {}, v)))));
}

async function copy(button: HTMLButtonElement, request: SubmitRequest, api: ApiClient): Promise<void> {
  await navigator.clipboard.writeText(curlFor(api.url("v1/tasks"), request));
  button.textContent = "Copied";
  window.setTimeout(() => (button.textContent = "Copy"), 1500);
}
