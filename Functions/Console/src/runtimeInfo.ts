import { byId, h } from "./dom.js";
import type { RuntimeLimits, RuntimeView } from "./types.js";

const FormTaskTypes = ["text-to-image", "image-to-image"];
const Described = new Set(["name", "default", "visible_messages", "in_flight_messages", "type", "task_types", "samplers", "limits"]);

/**
 * Fits the form to what the chosen runtime accepts (task types, samplers, limits) and describes it under the runtime
 * list; a runtime that says nothing more than its name and queue leaves the form as it is.
 */
export function applyRuntime(runtime: RuntimeView | undefined, taskType: HTMLSelectElement): void {
  const info = byId("runtime-info");
  if (!runtime) {
    info.textContent = "";
    return;
  }
  // The catalogue lists each runtime's samplers; with none listed the field takes any name and the API judges it.
  const samplers = Array.isArray(runtime.samplers) ? runtime.samplers : [];
  byId("samplers").replaceChildren(...samplers.map((s) => h("option", { value: s })));

  const accepted = Array.isArray(runtime.task_types) ? runtime.task_types : FormTaskTypes;
  for (const option of Array.from(taskType.options)) option.disabled = !accepted.includes(option.value);
  if (taskType.selectedOptions[0]?.disabled) {
    const first = Array.from(taskType.options).find((o) => !o.disabled);
    if (first) taskType.value = first.value;
  }
  if (runtime.limits) applyLimits(runtime.limits);

  const parts = [`${runtime.visible_messages} waiting, ${runtime.in_flight_messages} running`];
  if (runtime.type) parts.push(`type ${runtime.type}`);
  parts.push(`task types: ${accepted.join(", ")}`);
  if (runtime.limits) parts.push(describeLimits(runtime.limits));
  for (const [key, value] of Object.entries(runtime)) {
    if (!Described.has(key)) parts.push(`${key.replace(/_/g, " ")}: ${describe(value)}`);
  }
  const formless = accepted.filter((t) => !FormTaskTypes.includes(t));
  if (!accepted.some((t) => FormTaskTypes.includes(t))) {
    parts.push(`this form cannot build ${formless.join(", ")} requests: submit them through the API`);
  }
  info.textContent = parts.join(" · ");
}

function applyLimits(limits: RuntimeLimits): void {
  for (const name of ["width", "height"]) {
    const input = byId<HTMLInputElement>(`f-${name}`);
    setRange(input, limits.min_size, limits.max_size, limits.size_multiple);
  }
  setRange(byId<HTMLInputElement>("f-steps"), 1, limits.max_steps);
  setRange(byId<HTMLInputElement>("f-batch_size"), 1, limits.max_batch_size);
  setRange(byId<HTMLInputElement>("f-cfg_scale"), 0, limits.max_cfg_scale);
}

function setRange(input: HTMLInputElement, min?: number, max?: number, step?: number): void {
  if (min !== undefined) input.min = String(min);
  if (max !== undefined) input.max = String(max);
  if (step !== undefined) input.step = String(step);
}

function describeLimits(limits: RuntimeLimits): string {
  const parts: string[] = [];
  if (limits.min_size !== undefined && limits.max_size !== undefined) {
    parts.push(`sizes ${limits.min_size}–${limits.max_size}${limits.size_multiple ? ` in steps of ${limits.size_multiple}` : ""}`);
  }
  if (limits.max_steps !== undefined) parts.push(`steps ≤ ${limits.max_steps}`);
  if (limits.max_batch_size !== undefined) parts.push(`batch ≤ ${limits.max_batch_size}`);
  if (limits.max_cfg_scale !== undefined) parts.push(`CFG ≤ ${limits.max_cfg_scale}`);
  return parts.join(", ");
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return value.map(describe).join(", ");
  if (value !== null && typeof value === "object") {
    return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k.replace(/_/g, " ")} ${describe(v)}`).join(", ");
  }
  return String(value);
}
