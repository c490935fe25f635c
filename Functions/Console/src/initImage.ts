import type { ApiClient } from "./api.js";
import { byId } from "./dom.js";

/**
 * The image-to-image input: a dropped or chosen file, uploaded through a presigned URL (POST /v1/uploads, then PUT
 * straight to storage) when the task is submitted, and named in init_images as its upload:<id> ref, so images of any
 * size the runtime accepts work from the browser.
 */
export class InitImage {
  private file: File | null = null;
  private previewUrl: string | null = null;
  private readonly input = byId<HTMLInputElement>("f-init_images");
  private readonly preview = byId<HTMLImageElement>("init-preview");

  constructor() {
    const zone = byId<HTMLLabelElement>("drop-zone");
    this.input.addEventListener("change", () => {
      const file = this.input.files?.[0];
      if (file) this.choose(file);
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
      if (file) this.choose(file);
    });
  }

  get chosen(): boolean {
    return this.file !== null;
  }

  /** Uploads the chosen file and answers its ref, or null when none is chosen. */
  async upload(api: ApiClient): Promise<string | null> {
    if (!this.file) return null;
    const upload = await api.createUpload(this.file.type || "application/octet-stream", this.file.size);
    await api.upload(upload, this.file);
    return upload.ref;
  }

  clear(): void {
    this.file = null;
    this.input.value = "";
    this.preview.hidden = true;
    this.preview.removeAttribute("src");
    if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
    this.previewUrl = null;
  }

  private choose(file: File): void {
    this.clear();
    this.file = file;
    this.previewUrl = URL.createObjectURL(file);
    this.preview.src = this.previewUrl;
    this.preview.hidden = false;
  }
}
