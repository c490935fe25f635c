// The API's shapes, as docs/task-api.md and Functions/openapi/v1.json describe them.

export type TaskStatus = "queued" | "running" | "succeeded" | "failed" | "canceled" | "expired";

export const TaskStatuses: readonly TaskStatus[] = ["queued", "running", "succeeded", "failed", "canceled", "expired"];

export interface GenerationParameters {
  prompt: string;
  negative_prompt?: string | null;
  width: number;
  height: number;
  steps: number;
  cfg_scale: number;
  seed: number;
  sampler_name: string;
  batch_size: number;
  denoising_strength: number;
}

export interface TaskOutput {
  url: string;
  s3_uri: string;
  seed: number;
}

export interface WebhookDelivery {
  event: string;
  status: string;
  attempts: number;
  last_error?: string | null;
  delivered_at?: string | null;
}

export interface TaskView {
  id: string;
  status: TaskStatus;
  runtime: string;
  task_type: string;
  created_at: string;
  started_at?: string | null;
  finished_at?: string | null;
  queue_ms?: number | null;
  run_ms?: number | null;
  progress?: { step: number; steps: number } | null;
  outputs: TaskOutput[];
  error?: { code: string; message: string } | null;
  output_location: string;
  callback_url?: string | null;
  webhook_events?: string[] | null;
  parameters?: GenerationParameters | null;
  metadata?: unknown;
  webhooks?: WebhookDelivery[] | null;
  priority?: string;
  deadline?: string | null;
  retry_of?: string | null;
  retried_by?: string | null;
  usage?: TaskUsage | null;
}

/** What an ended task used (docs/decisions/0346); cost from its runtime's catalogue price, null without one. */
export interface TaskUsage {
  queue_ms: number;
  run_ms: number;
  gpu_seconds: number;
  images: number;
  pixels: number;
  cost_usd?: number | null;
}

/** One UTC day's ended tasks on one runtime, summed, as GET /v1/usage answers. */
export interface UsageDay {
  date: string;
  runtime: string;
  tasks: number;
  images: number;
  pixels: number;
  run_ms: number;
  gpu_seconds: number;
  cost_usd: number;
}

/** The answer of GET /v1/usage. */
export interface UsageView {
  from: string;
  to: string;
  days: UsageDay[];
  total: UsageDay;
}

export interface TaskList {
  tasks: TaskView[];
  next_cursor?: string | null;
}

/** What a runtime accepts, where the API says so. */
export interface RuntimeLimits {
  min_size?: number;
  max_size?: number;
  size_multiple?: number;
  max_steps?: number;
  max_batch_size?: number;
  max_cfg_scale?: number;
}

/** A runtime as GET /v1/runtimes lists it; the optional fields are used when the API sends them, others are shown as they come. */
export interface RuntimeView {
  name: string;
  default: boolean;
  visible_messages: number;
  in_flight_messages: number;
  type?: string;
  task_types?: string[];
  samplers?: string[];
  limits?: RuntimeLimits;
  [more: string]: unknown;
}

export interface Caller {
  owner: string;
  key_kind: string;
}

/** The body of POST /v1/tasks. */
export interface SubmitRequest {
  runtime?: string;
  task_type: string;
  prompt: string;
  negative_prompt?: string;
  width: number;
  height: number;
  steps: number;
  cfg_scale: number;
  seed: number;
  sampler_name: string;
  batch_size: number;
  denoising_strength?: number;
  init_images?: string[];
  callback_url?: string;
}

export function isActive(status: TaskStatus): boolean {
  return status === "queued" || status === "running";
}

/** What POST /v1/tasks/{id}/retry takes (docs/decisions/0320). */
export function isRetryable(status: TaskStatus): boolean {
  return status === "failed" || status === "canceled" || status === "expired";
}

/** The answer of POST /v1/uploads. */
export interface UploadView {
  id: string;
  ref: string;
  upload_url: string;
  method: string;
  headers: Record<string, string>;
  expires_at: string;
  max_size: number;
}
