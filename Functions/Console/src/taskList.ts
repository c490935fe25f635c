import { ApiClient } from "./api.js";
import { byId, h } from "./dom.js";
import { taskRow } from "./taskRow.js";
import { isActive, TaskStatuses, type RuntimeView, type TaskView } from "./types.js";

const PageSize = 20;
const RefreshMs = 2000;

/**
 * The caller's tasks, newest first, a page at a time (the API's cursors). Filtered by status (by the API) and by
 * runtime (on the page); refreshes itself while a listed task is queued or running.
 */
export class TaskList {
  private readonly list = byId<HTMLOListElement>("task-list");
  private readonly status = byId<HTMLSelectElement>("filter-status");
  private readonly runtime = byId<HTMLSelectElement>("filter-runtime");
  private readonly error = byId<HTMLParagraphElement>("tasks-error");
  private readonly older = byId<HTMLButtonElement>("page-older");
  private readonly newest = byId<HTMLButtonElement>("page-newest");
  private cursor: string | undefined;
  private nextCursor: string | undefined;
  private timer: number | undefined;
  private loading = false;
  private pending = false;
  private shown = false;

  constructor(private readonly api: () => ApiClient) {
    this.status.append(...TaskStatuses.map((s) => h("option", { value: s }, s)));
    this.status.addEventListener("change", () => void this.first());
    this.runtime.addEventListener("change", () => void this.first());
    this.older.addEventListener("click", () => {
      this.cursor = this.nextCursor;
      this.shown = true;
      void this.load();
    });
    this.newest.addEventListener("click", () => void this.first());
  }

  setRuntimes(runtimes: RuntimeView[]): void {
    this.runtime.replaceChildren(h("option", { value: "" }, "all"), ...runtimes.map((r) => h("option", { value: r.name }, r.name)));
  }

  first(): Promise<void> {
    this.cursor = undefined;
    this.shown = true;
    return this.load();
  }

  /** Stops refreshing (the list is hidden). */
  stop(): void {
    this.shown = false;
    this.clearTimer();
  }

  async load(): Promise<void> {
    this.clearTimer();
    if (this.loading) {
      this.pending = true;
      return;
    }
    this.loading = true;
    try {
      const page = await this.api().listTasks({ status: this.status.value || undefined, cursor: this.cursor, limit: PageSize });
      const tasks = page.tasks.filter((t) => !this.runtime.value || t.runtime === this.runtime.value);
      this.render(tasks);
      this.nextCursor = page.next_cursor ?? undefined;
      this.older.disabled = !this.nextCursor;
      this.newest.disabled = this.cursor === undefined;
      this.error.hidden = true;
      if (this.shown && page.tasks.some((t) => isActive(t.status))) {
        this.timer = window.setTimeout(() => void this.load(), RefreshMs);
      }
    } catch (error) {
      this.error.textContent = `Tasks could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
      this.error.hidden = false;
    } finally {
      this.loading = false;
    }
    const again = this.pending && this.shown;
    this.pending = false;
    if (again) await this.load();
  }

  private clearTimer(): void {
    window.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private render(tasks: TaskView[]): void {
    if (tasks.length === 0) {
      this.list.replaceChildren(h("li", { class: "empty" }, this.cursor ? "No older tasks." : "No tasks yet: submit one."));
      return;
    }
    // The list refreshes itself while tasks run: keep the keyboard focus on the same task.
    const focused = document.activeElement?.closest("li[data-task-id]")?.getAttribute("data-task-id");
    this.list.replaceChildren(...tasks.map(taskRow));
    if (focused) this.list.querySelector<HTMLElement>(`li[data-task-id="${CSS.escape(focused)}"] a`)?.focus();
  }
}
