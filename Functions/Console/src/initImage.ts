import { byId } from "./dom.js";

/** The image-to-image input: a dropped or chosen file, read as a data URL (the API takes data URLs in init_images). */
export class InitImage {
  private dataUrl: string | null = null;
  private readonly input = byId<HTMLInputElement>("f-init_images");
  private readonly preview = byId<HTMLImageElement>("init-preview");

  constructor() {
    const zone = byId<HTMLLabelElement>("drop-zone");
    this.input.addEventListener("change", () => {
      const file = this.input.files?.[0];
      if (file) void this.read(file);
    });
    zone.addEventListener("dragover", (event) => {
      event.preventDefault();
      zone.classList.add("over");
    });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("over");
      const file = event.dataTransfer?.files[0];
      if (file) void this.read(file);
    });
  }

  get value(): string | null {
    return this.dataUrl;
  }

  clear(): void {
    this.dataUrl = null;
    this.input.value = "";
    this.preview.hidden = true;
    this.preview.removeAttribute("src");
  }

  private read(file: File): Promise<void> {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => {
        this.dataUrl = String(reader.result);
        this.preview.src = this.dataUrl;
        this.preview.hidden = false;
        resolve();
      };
      reader.onerror = () => reject(reader.error ?? new Error("The file could not be read."));
      reader.readAsDataURL(file);
    });
  }
}
