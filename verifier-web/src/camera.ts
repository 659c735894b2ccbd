// Camera scanning: back camera preferred, frames decoded continuously until a seal is read, torch where supported.
import { readFrame } from './qr.js';

/** Frames are read one at a time, this often at most (ms): enough for a hand-held code, light on a phone. */
const FRAME_INTERVAL_MS = 90;
/** Frames are decoded at this width at most: a QR filling a fair part of the view stays well above 3.5 px per module. */
const MAX_FRAME_WIDTH = 1280;

interface TorchCapabilities extends MediaTrackCapabilities {
  torch?: boolean;
}

export class CameraScanner {
  private stream: MediaStream | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private torch = false;
  private readonly canvas = document.createElement('canvas');

  /** `onText` gets each QR text read; return true to stop scanning. */
  constructor(
    private readonly video: HTMLVideoElement,
    private readonly onText: (text: string) => boolean,
  ) {}

  get active(): boolean {
    return this.running;
  }

  /** Ask for the camera (the back one where there is a choice) and start reading frames. */
  async start(): Promise<void> {
    if (this.running) return;
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: 'environment' }, width: { ideal: 1920 }, height: { ideal: 1080 } },
    });
    this.video.srcObject = this.stream;
    this.video.setAttribute('playsinline', '');
    this.video.muted = true;
    await this.video.play();
    this.running = true;
    this.torch = false;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = undefined;
    this.video.srcObject = null;
  }

  private track(): MediaStreamTrack | undefined {
    return this.stream?.getVideoTracks()[0];
  }

  /** Whether the camera has a torch the page may switch (phones mostly; never on desktops). */
  torchSupported(): boolean {
    const track = this.track();
    if (!track || typeof track.getCapabilities !== 'function') return false;
    return (track.getCapabilities() as TorchCapabilities).torch === true;
  }

  get torchOn(): boolean {
    return this.torch;
  }

  async setTorch(on: boolean): Promise<void> {
    const track = this.track();
    if (!track) return;
    await track.applyConstraints({ advanced: [{ torch: on } as MediaTrackConstraintSet] });
    this.torch = on;
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => void this.tick(), FRAME_INTERVAL_MS);
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    const v = this.video;
    if (v.videoWidth > 0 && v.readyState >= 2) {
      const scale = Math.min(1, MAX_FRAME_WIDTH / v.videoWidth);
      const w = Math.round(v.videoWidth * scale);
      const h = Math.round(v.videoHeight * scale);
      if (this.canvas.width !== w) this.canvas.width = w;
      if (this.canvas.height !== h) this.canvas.height = h;
      const ctx = this.canvas.getContext('2d', { willReadFrequently: true })!;
      ctx.drawImage(v, 0, 0, w, h);
      try {
        for (const text of await readFrame(ctx.getImageData(0, 0, w, h))) {
          if (this.onText(text)) {
            this.stop();
            return;
          }
        }
      } catch {
        // A frame the reader cannot take (e.g. while the wasm is still loading): try the next one.
      }
    }
    this.schedule();
  }
}
