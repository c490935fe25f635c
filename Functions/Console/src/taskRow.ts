import { h } from "./dom.js";
import { dateTime, duration, progressFraction } from "./format.js";
import type { TaskView } from "./types.js";

/** One task in the list: status, progress, prompt, runtime, queue and run time; the whole row links to the task. */
export function taskRow(task: TaskView): HTMLLIElement {
  const fraction = progressFraction(task.progress, task.status);
  return h("li", { class: `task status-${task.status}`, "data-task-id": task.id },
    h("a", { href: `#/tasks/${encodeURIComponent(task.id)}`, class: "task-link" },
      h("span", { class: `badge ${task.status}` }, task.status),
      h("span", { class: "prompt" }, task.parameters?.prompt || task.id),
      h("progress", { max: 1, value: fraction, "aria-label": `progress ${Math.round(fraction * 100)}%` }),
      h("span", { class: "meta" },
        h("span", {}, task.runtime),
        h("span", {}, dateTime(task.created_at)),
        h("span", { title: "time in the queue" }, `queue ${duration(task.queue_ms)}`),
        h("span", { title: "run time" }, `run ${duration(task.run_ms)}`))));
}
