import type { GenerationParameters, SubmitRequest, TaskView } from "./types.js";

/** The request that made a task, as a curl line; the key stays out of it (it reads $SDSERVERLESS_API_KEY). */
export function curlFor(apiUrl: string, request: SubmitRequest): string {
  const body = JSON.stringify(request);
  return [
    `curl -s ${quote(apiUrl)}`,
    `  -H "x-api-key: $SDSERVERLESS_API_KEY" -H 'content-type: application/json'`,
    `  -d ${quote(body)}`,
  ].join(" \\\n");
}

/** What the task was submitted with, as far as the API keeps it (init images are not kept). */
export function requestOf(task: TaskView): SubmitRequest {
  const p: GenerationParameters = task.parameters ?? {
    prompt: "", width: 512, height: 512, steps: 20, cfg_scale: 7, seed: -1, sampler_name: "Euler a", batch_size: 1, denoising_strength: 0.75,
  };
  const request: SubmitRequest = {
    runtime: task.runtime,
    task_type: task.task_type,
    prompt: p.prompt,
    width: p.width,
    height: p.height,
    steps: p.steps,
    cfg_scale: p.cfg_scale,
    seed: p.seed,
    sampler_name: p.sampler_name,
    batch_size: p.batch_size,
  };
  if (p.negative_prompt) request.negative_prompt = p.negative_prompt;
  if (task.task_type === "image-to-image") request.denoising_strength = p.denoising_strength;
  if (task.callback_url) request.callback_url = task.callback_url;
  return request;
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
