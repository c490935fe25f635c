import { ApiClient } from "./api.js";
import { byId, h } from "./dom.js";
import { count, duration, gpuSeconds, usd, utcDate } from "./format.js";
import type { UsageDay } from "./types.js";

const DefaultDays = 7;

/**
 * The key's usage (GET /v1/usage): per UTC day and runtime, the ended tasks, their images, pixels, run time, GPU
 * seconds and estimated cost, with the totals over the range; the last seven days unless another range is asked.
 */
export class UsageReport {
  private readonly form = byId<HTMLFormElement>("usage-form");
  private readonly from = byId<HTMLInputElement>("usage-from");
  private readonly to = byId<HTMLInputElement>("usage-to");
  private readonly error = byId<HTMLParagraphElement>("usage-error");
  private readonly body = byId<HTMLTableSectionElement>("usage-days");
  private readonly total = byId<HTMLTableSectionElement>("usage-total");

  constructor(private readonly api: () => ApiClient) {
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.load();
    });
  }

  async show(): Promise<void> {
    if (!this.to.value) {
      const today = new Date();
      this.to.value = utcDate(today);
      this.from.value = utcDate(new Date(today.getTime() - (DefaultDays - 1) * 86_400_000));
    }
    await this.load();
  }

  private async load(): Promise<void> {
    this.error.hidden = true;
    try {
      const usage = await this.api().usage(this.from.value, this.to.value);
      this.body.replaceChildren(...(usage.days.length > 0
        ? usage.days.map((day) => row(day, day.date, day.runtime))
        : [h("tr", {}, h("td", { colspan: 8, class: "hint" }, "No ended tasks in this range."))]));
      this.total.replaceChildren(row(usage.total, "total", usage.total.runtime === "*" ? "all" : usage.total.runtime, "th"));
    } catch (error) {
      this.error.textContent = error instanceof Error ? error.message : String(error);
      this.error.hidden = false;
    }
  }
}

function row(day: UsageDay, date: string, runtime: string, cell: "td" | "th" = "td"): HTMLTableRowElement {
  return h("tr", { "data-date": date, "data-runtime": runtime },
    h(cell, {}, date), h(cell, {}, runtime), h(cell, { class: "number" }, count(day.tasks)), h(cell, { class: "number" }, count(day.images)),
    h(cell, { class: "number" }, count(day.pixels)), h(cell, { class: "number" }, duration(day.run_ms)),
    h(cell, { class: "number" }, gpuSeconds(day.gpu_seconds)), h(cell, { class: "number" }, usd(day.cost_usd)));
}
