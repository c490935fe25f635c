import { byId } from "./dom.js";
import { KeyGate } from "./keyGate.js";
import { SubmitForm } from "./submitForm.js";
import { TaskDetail } from "./taskDetail.js";
import { TaskList } from "./taskList.js";
import { UsageReport } from "./usageReport.js";

// The console's one page: #/ shows the form and the task list, #/tasks/<id> one task, #/usage the key's usage.

const gate = new KeyGate(() => void ready());
const api = () => gate.api;
const list = new TaskList(api);
const detail = new TaskDetail(api, (request) => {
  location.hash = "#/";
  form.fill(request);
}, (id) => {
  location.hash = `#/tasks/${encodeURIComponent(id)}`;
});
const form = new SubmitForm(api, (task) => {
  location.hash = `#/tasks/${encodeURIComponent(task.id)}`;
});
const usage = new UsageReport(api);
let started = false;

async function ready(): Promise<void> {
  if (!started) {
    started = true;
    window.addEventListener("hashchange", () => void route());
  }
  list.setRuntimes(await form.loadRuntimes());
  await route();
}

async function route(): Promise<void> {
  const match = /^#\/tasks\/(.+)$/.exec(location.hash);
  const onUsage = location.hash === "#/usage";
  byId("task-section").hidden = !match;
  byId("usage-section").hidden = !onUsage;
  byId("tasks-section").hidden = !!match || onUsage;
  byId("submit-section").hidden = !!match || onUsage;
  if (match) {
    list.stop();
    await detail.show(decodeURIComponent(match[1]!));
  } else if (onUsage) {
    list.stop();
    detail.hide();
    await usage.show();
  } else {
    detail.hide();
    await list.first();
  }
}

void gate.start();
