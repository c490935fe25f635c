import { byId } from "./dom.js";

/** The enlarged image, in a modal dialog (Escape or Close shuts it). */
export class Lightbox {
  private readonly dialog = byId<HTMLDialogElement>("lightbox");
  private readonly image = byId<HTMLImageElement>("lightbox-image");
  private readonly download = byId<HTMLAnchorElement>("lightbox-download");

  constructor() {
    byId("lightbox-close").addEventListener("click", () => this.dialog.close());
    this.dialog.addEventListener("click", (event) => {
      if (event.target === this.dialog) this.dialog.close();
    });
  }

  show(url: string, name: string, description: string): void {
    this.image.src = url;
    this.image.alt = description;
    this.download.href = url;
    this.download.download = name;
    this.dialog.showModal();
  }
}
