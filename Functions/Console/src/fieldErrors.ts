import { h } from "./dom.js";

/** Shows a 422's errors next to the form fields they name; answers the messages no field took. */
export function showFieldErrors(form: HTMLFormElement, errors: Record<string, string[]>): string[] {
  clearFieldErrors(form);
  const unplaced: string[] = [];
  for (const [key, messages] of Object.entries(errors)) {
    const name = key.replace(/\[\d+\]$/, "");
    const field = form.elements.namedItem(name);
    if (!(field instanceof HTMLElement)) {
      unplaced.push(...messages);
      continue;
    }
    const id = `error-${name}`;
    const note = h("p", { id, class: "field-error", role: "alert" }, messages.join(" "));
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", id);
    (field.closest(".field") ?? field.parentElement)?.appendChild(note);
  }
  const first = form.querySelector<HTMLElement>("[aria-invalid=true]");
  first?.focus();
  return unplaced;
}

export function clearFieldErrors(form: HTMLFormElement): void {
  form.querySelectorAll(".field-error").forEach((note) => note.remove());
  form.querySelectorAll("[aria-invalid]").forEach((field) => {
    field.removeAttribute("aria-invalid");
    field.removeAttribute("aria-describedby");
  });
}
