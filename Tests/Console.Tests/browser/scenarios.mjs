// Console.Tests' browser side: one scenario per run, driven through playwright-core on Debian's Chromium.
//   node scenarios.mjs <scenario> <console url> <screenshot folder> [callback url]
// Prints one line `RESULT {json}` for the C# test to check; exits non-zero (with the reason on stderr) when a step fails.
// Every wait has a timeout; a Content-Security-Policy violation or a page error fails the scenario.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [scenarioName, consoleUrl, shots, callbackUrl] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const apiKey = process.env.CONSOLE_API_KEY || "local-dev-key";
const Step = 15_000;
const Generation = 90_000;
const OnePixelPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

const scenarios = {
  // Key, submit, watch it succeed, see the image, its infotext, its usage and its webhook; filter the list; run it
  // again; open the key's usage. Screenshots of the task, the list, a phone-sized screen and the usage.
  async submit(page) {
    await enterKey(page);
    await page.fill("#f-prompt", "a lighthouse at dusk");
    if (callbackUrl) await page.fill("#f-callback_url", callbackUrl);
    await setSize(page, 64, 64);
    await page.fill("#f-steps", "4");
    await page.fill("#f-seed", "42");
    await page.click("#submit-button");
    await page.waitForURL(/#\/tasks\/.+/, { timeout: Step });
    const taskId = await page.textContent("#task-id", { timeout: Step });
    await page.waitForSelector("#task-status.succeeded", { timeout: Generation });
    const image = page.locator("#task-images img").first();
    await image.waitFor({ timeout: Step });
    const naturalWidth = await image.evaluate(async (img) => {
      await img.decode();
      return img.naturalWidth;
    });
    await page.waitForFunction(() => /Seed: /.test(document.querySelector("#task-infotext")?.textContent ?? ""), null, { timeout: Step });
    const infotext = await page.textContent("#task-infotext");
    let webhook = null;
    if (callbackUrl) {
      // The task page stops refreshing once the task has finished; reload until the delivery is recorded.
      const deadline = Date.now() + Step;
      while (!webhook?.includes("delivered") && Date.now() < deadline) {
        await page.reload();
        await page.waitForSelector("#task-status.succeeded", { timeout: Step });
        webhook = await page.locator("#task-webhooks").textContent({ timeout: 1000 }).catch(() => null);
        if (!webhook?.includes("delivered")) await page.waitForTimeout(500);
      }
    }
    const usage = await page.locator("#task-usage").textContent({ timeout: Step });
    await screenshot(page, "task");
    await image.click();
    await page.waitForSelector("#lightbox[open]", { timeout: Step });
    await page.keyboard.press("Escape");
    await page.waitForSelector("#lightbox", { state: "hidden", timeout: Step });
    const curl = await page.textContent("#task-curl");
    await page.click("a.link[href='#/']");
    const row = page.locator(`li[data-task-id="${taskId}"]`);
    await row.waitFor({ timeout: Step });
    const rowStatus = await row.locator(".badge").textContent();
    await page.selectOption("#filter-status", "failed");
    await row.waitFor({ state: "detached", timeout: Step });
    await page.selectOption("#filter-status", "succeeded");
    await row.waitFor({ timeout: Step });
    await screenshot(page, "tasks");
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "phone");
    await page.setViewportSize({ width: 1280, height: 860 });
    await row.locator("a").click();
    await page.click("#run-again", { timeout: Step });
    await page.waitForSelector("#submit-section", { state: "visible", timeout: Step });
    const again = {
      prompt: await page.inputValue("#f-prompt"),
      seed: await page.inputValue("#f-seed"),
      steps: await page.inputValue("#f-steps"),
      width: await page.inputValue("#f-width"),
    };
    // The key's usage: today's row for the task's runtime and the totals, from the header's link.
    await page.click("#usage-link");
    await page.waitForSelector("#usage-total tr", { timeout: Step });
    const usageRows = await page.locator("#usage-days tr[data-date]").evaluateAll((rows) =>
      rows.map((row) => ({ date: row.dataset.date, runtime: row.dataset.runtime, cells: [...row.cells].map((c) => c.textContent) })));
    const usageTotal = await page.locator("#usage-total tr th").allTextContents();
    await screenshot(page, "usage");
    return { taskId, naturalWidth, rowStatus, curl, infotext, webhook, again, usage, usageRows, usageTotal };
  },

  // A long task (many steps, a big batch) is canceled from its page, with the keyboard, while it runs or waits; then
  // Retry submits it again as a new task, whose page links back to it (and which is canceled in turn).
  async cancel(page) {
    await enterKey(page);
    await page.fill("#f-prompt", "a very long task");
    await setSize(page, 512, 512);
    await page.fill("#f-steps", "150");
    await page.fill("#f-batch_size", "8");
    await page.click("#submit-button");
    await page.waitForURL(/#\/tasks\/.+/, { timeout: Step });
    const taskId = await page.textContent("#task-id", { timeout: Step });
    const before = await page.textContent("#task-status", { timeout: Step });
    // From the keyboard: the focus stays on Cancel while the page refreshes every second.
    await page.focus("#cancel-task", { timeout: Step });
    await page.waitForTimeout(1500);
    const focusedAfterRefresh = await page.evaluate(() => document.activeElement?.id);
    await page.keyboard.press("Enter");
    await page.waitForSelector("#task-status.canceled", { timeout: Step });
    const cancelShown = await page.locator("#cancel-task").count();
    await page.click("#retry-task", { timeout: Step });
    await page.waitForFunction((old) => /#\/tasks\/.+/.test(location.hash) && !location.hash.endsWith(old), taskId, { timeout: Step });
    await page.waitForSelector("#task-retry-of", { timeout: Step });
    const retryId = await page.textContent("#task-id");
    const retryOf = await page.textContent("#task-retry-of");
    const retryButtonsWhileActive = await page.locator("#retry-task").count();
    await page.click("#cancel-task", { timeout: Step });
    await page.waitForSelector("#task-status.canceled", { timeout: Step });
    return { taskId, before, focusedAfterRefresh, cancelButtonsLeft: cancelShown, retryId, retryOf, retryButtonsWhileActive };
  },

  // A running task's page follows its event stream: the steps show as they happen, and the task is not polled.
  async live(page) {
    const requests = [];
    page.on("request", (request) => requests.push(new URL(request.url()).pathname));
    await enterKey(page);
    await page.fill("#f-prompt", "a lighthouse, step by step");
    await setSize(page, 512, 512);
    await page.fill("#f-steps", "150");
    await page.click("#submit-button");
    await page.waitForURL(/#\/tasks\/.+/, { timeout: Step });
    const taskId = await page.textContent("#task-id", { timeout: Step });
    const liveMode = await page.getAttribute("#task-detail", "data-live");
    await page.evaluate(() => {
      window.stepsShown = [];
      const record = () => {
        const text = document.getElementById("task-step")?.textContent;
        if (text && window.stepsShown.at(-1) !== text) window.stepsShown.push(text);
      };
      record();
      new MutationObserver(record).observe(document.getElementById("task-detail"), { subtree: true, childList: true, characterData: true });
    });
    await page.waitForSelector("#task-status.succeeded", { timeout: Generation });
    await page.locator("#task-images img").first().waitFor({ timeout: Step });
    const stepsShown = await page.evaluate(() => window.stepsShown);
    const taskReads = requests.filter((path) => path.endsWith(`/v1/tasks/${taskId}`)).length;
    const streams = requests.filter((path) => path.endsWith(`/v1/tasks/${taskId}/events`)).length;
    return { taskId, liveMode, stepsShown, taskReads, streams };
  },

  // Image to image: a dropped file is uploaded through a presigned URL and named as upload:<id> in init_images.
  async imageToImage(page) {
    await enterKey(page);
    await page.selectOption("#f-task_type", "image-to-image");
    // Dropped onto the drop zone, as from a file manager.
    const dataTransfer = await page.evaluateHandle((base64) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], "pixel.png", { type: "image/png" }));
      return transfer;
    }, OnePixelPng);
    const taskId = await dropAndGenerate(page, dataTransfer, "the same, but at night");
    return { taskId };
  },

  // A dropped image over 1 MiB (the API's body limit) goes through a presigned PUT, never in the request body.
  async largeImageToImage(page) {
    await enterKey(page);
    const puts = [];
    page.on("request", (request) => {
      if (request.method() === "PUT") puts.push({ url: request.url(), type: request.headers()["content-type"] });
    });
    let submitted = null;
    page.on("request", (request) => {
      if (request.method() === "POST" && new URL(request.url()).pathname.endsWith("/v1/tasks")) submitted = request.postData();
    });
    await page.selectOption("#f-task_type", "image-to-image");
    const dataTransfer = await page.evaluateHandle(async () => {
      // Noise does not compress: a 1024 × 1024 PNG of it is about 4 MB.
      const canvas = new OffscreenCanvas(1024, 1024);
      const context = canvas.getContext("2d");
      const pixels = context.createImageData(1024, 1024);
      let state = 12345;
      for (let i = 0; i < pixels.data.length; i++) {
        state = (state * 1103515245 + 12345) >>> 0;
        pixels.data[i] = i % 4 === 3 ? 255 : state >>> 24;
      }
      context.putImageData(pixels, 0, 0);
      const blob = await canvas.convertToBlob({ type: "image/png" });
      const transfer = new DataTransfer();
      transfer.items.add(new File([blob], "noise.png", { type: "image/png" }));
      return transfer;
    });
    const size = await dataTransfer.evaluate((transfer) => transfer.files[0].size);
    const taskId = await dropAndGenerate(page, dataTransfer, "the same, but larger");
    const initImages = submitted ? JSON.parse(submitted).init_images : null;
    return { taskId, size, puts, initImages };
  },

  // A size the API refuses shows the API's message next to the width field.
  async fieldError(page) {
    await enterKey(page);
    await page.fill("#f-prompt", "too narrow");
    await setSize(page, 100, 512);
    await page.click("#submit-button");
    const error = page.locator("#error-width");
    await error.waitFor({ timeout: Step });
    const message = await error.textContent();
    const invalid = await page.getAttribute("#f-width", "aria-invalid");
    const focused = await page.evaluate(() => document.activeElement?.id);
    await screenshot(page, "field-error");
    return { message, invalid, focused, url: page.url() };
  },
};

async function enterKey(page) {
  await page.goto(consoleUrl, { timeout: Step });
  await page.waitForSelector("#key-dialog[open]", { timeout: Step });
  await page.fill("#api-key", apiKey);
  await page.keyboard.press("Enter");
  await page.waitForSelector("#key-dialog", { state: "hidden", timeout: Step });
  await page.waitForFunction(() => document.querySelector("#caller")?.textContent?.length, null, { timeout: Step });
  await page.waitForSelector("#f-runtime option", { state: "attached", timeout: Step });
}

async function setSize(page, width, height) {
  await page.fill("#f-width", String(width));
  await page.fill("#f-height", String(height));
}

// Drops the file onto the drop zone, runs a quick 64 × 64 image-to-image task from it and waits for its image; returns its id.
async function dropAndGenerate(page, dataTransfer, prompt) {
  await page.dispatchEvent("#drop-zone", "drop", { dataTransfer });
  await page.waitForSelector("#init-preview", { state: "visible", timeout: Step });
  await page.fill("#f-prompt", prompt);
  await setSize(page, 64, 64);
  await page.fill("#f-steps", "4");
  await page.fill("#f-denoising_strength", "0.5");
  await page.click("#submit-button");
  await page.waitForURL(/#\/tasks\/.+/, { timeout: Step });
  const taskId = await page.textContent("#task-id", { timeout: Step });
  await page.waitForSelector("#task-status.succeeded", { timeout: Generation });
  await page.locator("#task-images img").first().waitFor({ timeout: Step });
  return taskId;
}

async function screenshot(page, name) {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `console-${name}.png`), fullPage: true, timeout: Step });
}

const scenario = scenarios[scenarioName];
if (!scenario) {
  console.error(`Unknown scenario '${scenarioName}'; known: ${Object.keys(scenarios).join(", ")}`);
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath,
  headless: true,
  timeout: 30_000,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const problems = [];
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: "light" });
  const page = await context.newPage();
  page.on("console", (message) => {
    // Failed API answers (a 422 on purpose) are logged as errors too; only policy violations count here.
    if (message.type() === "error" && message.text().includes("Content Security Policy")) problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  const result = await scenario(page);
  const keyInUrl = page.url().includes(apiKey);
  const storedKey = await page.evaluate(() => localStorage.getItem("sdserverless.console.apiKey"));
  console.log(`RESULT ${JSON.stringify({ ...result, problems, keyInUrl, storedKey })}`);
} catch (error) {
  console.error(`Scenario '${scenarioName}' failed: ${error.stack ?? error}`);
  if (problems.length) console.error(problems.join("\n"));
  process.exitCode = 1;
} finally {
  await browser.close();
}
