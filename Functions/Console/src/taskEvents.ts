import type { TaskView } from "./types.js";

/** A `progress` event of a task's stream: steps done, steps in all, and their share of the whole task. */
export interface TaskProgressEvent {
  id: string;
  step: number;
  steps: number;
  share: number;
}

/** What a task's stream tells: a `status` event carries the whole task, a `progress` event its progress. */
export interface TaskEventHandlers {
  status(task: TaskView): void;
  progress(progress: TaskProgressEvent): void;
}

/**
 * Reads a `text/event-stream` body (the Server-Sent Events format: `field: value` lines, a blank line ends an event,
 * lines starting with `:` are comments) and hands each event to its handler. EventSource cannot send the x-api-key
 * header, so the console reads the stream through fetch. Resolves when the server ends the stream.
 */
export async function readTaskEvents(body: ReadableStream<Uint8Array>, handlers: TaskEventHandlers): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
    for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
      dispatch(buffer.slice(0, end), handlers);
      buffer = buffer.slice(end + 2);
    }
  }
}

function dispatch(block: string, handlers: TaskEventHandlers): void {
  let event = "message";
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  if (data.length === 0) return;
  if (event === "status") handlers.status(JSON.parse(data.join("\n")) as TaskView);
  else if (event === "progress") handlers.progress(JSON.parse(data.join("\n")) as TaskProgressEvent);
}
