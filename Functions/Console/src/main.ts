import { byId } from "./dom.js";
import { KeyGate } from "./keyGate.js";
import { SubmitForm } from "./submitForm.js";
import { TaskDetail } from "./taskDetail.js";
import { TaskList } from "./taskList.js";

// The console's one page: #/ shows the form and the task list, #/tasks/<id> one task.

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
  const taskSection = byId("task-section");
  if (match) {
    list.stop();
    byId("tasks-section").hidden = true;
    byId("submit-section").hidden = true;
    taskSection.hidden = false;
    await detail.show(decodeURIComponent(match[1]!));
  } else {
    detail.hide();
    taskSection.hidden = true;
    byId("tasks-section").hidden = false;
    byId("submit-section").hidden = false;
    await list.first();
  }
}

void gate.start();
