import { ApiClient, ApiError } from "./api.js";
import { byId, h } from "./dom.js";
import { clearFieldErrors, showFieldErrors } from "./fieldErrors.js";
import { InitImage } from "./initImage.js";
import { applyRuntime } from "./runtimeInfo.js";
import type { RuntimeView, SubmitRequest, TaskView } from "./types.js";

const MaxSeed = 4294967295;

/** The "New task" form: fields named as the API's, its field errors shown next to them. */
export class SubmitForm {
  private readonly form = byId<HTMLFormElement>("submit-form");
  private readonly runtime = byId<HTMLSelectElement>("f-runtime");
  private readonly taskType = byId<HTMLSelectElement>("f-task_type");
  private readonly error = byId<HTMLParagraphElement>("submit-error");
  private readonly button = byId<HTMLButtonElement>("submit-button");
  private readonly initImage = new InitImage();
  private runtimes: RuntimeView[] = [];

  constructor(private readonly api: () => ApiClient, private readonly submitted: (task: TaskView) => void) {
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.submit();
    });
    byId("random-seed").addEventListener("click", () => {
      this.input("seed").value = String(Math.floor(Math.random() * MaxSeed));
    });
    this.taskType.addEventListener("change", () => this.showTaskType());
    this.runtime.addEventListener("change", () => this.showRuntime());
  }

  /** Loads GET /v1/runtimes into the runtime list; answers the runtimes for the task list's filter. */
  async loadRuntimes(): Promise<RuntimeView[]> {
    const { runtimes } = await this.api().runtimes();
    this.runtimes = runtimes;
    this.runtime.replaceChildren(...runtimes.map((r) => h("option", { value: r.name, selected: r.default }, r.default ? `${r.name} (default)` : r.name)));
    this.showRuntime();
    return runtimes;
  }

  /** Fills the form from an earlier task ("run again"). */
  fill(request: SubmitRequest): void {
    if (request.runtime && this.runtimes.some((r) => r.name === request.runtime)) this.runtime.value = request.runtime;
    this.taskType.value = request.task_type;
    this.text("prompt").value = request.prompt;
    this.text("negative_prompt").value = request.negative_prompt ?? "";
    for (const name of ["width", "height", "steps", "cfg_scale", "seed", "batch_size", "sampler_name", "denoising_strength"] as const) {
      const value = request[name];
      if (value !== undefined) this.input(name).value = String(value);
    }
    this.input("callback_url").value = request.callback_url ?? "";
    this.initImage.clear();
    this.showTaskType();
    this.showRuntime();
    clearFieldErrors(this.form);
    this.error.hidden = true;
    if (request.task_type === "image-to-image") {
      this.showError("Choose the init image again: the API does not keep init images with the task.");
    }
    this.text("prompt").focus();
  }

  private async submit(): Promise<void> {
    clearFieldErrors(this.form);
    this.error.hidden = true;
    this.button.disabled = true;
    try {
      const request = this.request();
      if (request.task_type === "image-to-image" && this.initImage.chosen) {
        const ref = await this.initImage.upload(this.api());
        if (ref) request.init_images = [ref];
      }
      const task = await this.api().submit(request);
      this.submitted(task);
    } catch (error) {
      if (error instanceof ApiError && Object.keys(error.errors).length > 0) {
        const rest = showFieldErrors(this.form, error.errors);
        if (rest.length > 0) this.showError(rest.join(" "));
      } else {
        this.showError(error instanceof Error ? error.message : String(error));
      }
    } finally {
      this.button.disabled = false;
    }
  }

  private request(): SubmitRequest {
    const request: SubmitRequest = {
      runtime: this.runtime.value || undefined,
      task_type: this.taskType.value,
      prompt: this.text("prompt").value,
      width: this.number("width"),
      height: this.number("height"),
      steps: this.number("steps"),
      cfg_scale: this.number("cfg_scale"),
      seed: this.number("seed"),
      sampler_name: this.input("sampler_name").value,
      batch_size: this.number("batch_size"),
    };
    const negative = this.text("negative_prompt").value;
    if (negative) request.negative_prompt = negative;
    const callback = this.input("callback_url").value.trim();
    if (callback) request.callback_url = callback;
    if (request.task_type === "image-to-image") {
      request.denoising_strength = this.number("denoising_strength");
    }
    return request;
  }

  private showTaskType(): void {
    byId("img2img").hidden = this.taskType.value !== "image-to-image";
  }

  /** What the chosen runtime accepts and how busy it is, from GET /v1/runtimes. */
  private showRuntime(): void {
    applyRuntime(this.runtimes.find((r) => r.name === this.runtime.value), this.taskType);
    this.showTaskType();
  }

  private showError(message: string): void {
    this.error.textContent = message;
    this.error.hidden = false;
  }

  private number(name: string): number {
    const value = this.input(name).value.trim();
    return value === "" ? Number.NaN : Number(value);
  }

  private input(name: string): HTMLInputElement {
    return byId<HTMLInputElement>(`f-${name}`);
  }

  private text(name: string): HTMLTextAreaElement {
    return byId<HTMLTextAreaElement>(`f-${name}`);
  }
}
