// The verifier page: wires camera, files, paste, scanner and link form to verification, and keeps trust data fresh.
import { selectBackend, verifySeal, type Ed25519Backend, type SealResult } from '../../core/verifier.js';
import { CameraScanner } from './camera.js';
import { getDigits, isRtl, LANGS, setDigits, t, UI, type Digits, type Lang, type UiKey } from './i18n.js';
import { fromArabicLayout, isSealLike, listenForScanner } from './keyboard.js';
import { configureDecoders, decoderLoads, isPdf, pdfPageImages, verifyPdfFile, type DecoderSource } from './pdf.js';
import { configureReader, readImageFile, warmReader, type WasmSource } from './qr.js';
import { renderTrust, renderVerdict, withMarkers, type Shown } from './render.js';
import { fromBase64, TrustStore, type BundledData } from './trust.js';

const LANG_KEY = 'urseal.lang';
const DIGITS_KEY = 'urseal.digits';
/** How often an open page looks for newer trust data, ms. */
const UPDATE_EVERY_MS = 6 * 3600 * 1000;

/** What tests and the bench read: timings of verdicts and the last one shown. */
interface PageProbe {
  ready: boolean;
  timings: { input: string; ms: number; code: string }[];
  last?: Shown;
  updated: number;
  /** Times the JBIG2/JPEG 2000 decoder chunk was loaded (only when a scan needs it). */
  decoderLoads: { count: number };
}

declare global {
  interface Window {
    __urseal: PageProbe;
  }
}

const probe: PageProbe = { ready: false, timings: [], updated: 0, decoderLoads };
window.__urseal = probe;

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/** The remembered language (Arabic unless English or Kurdish was chosen). */
function storedLang(): Lang {
  try {
    const v = globalThis.localStorage?.getItem(LANG_KEY);
    return LANGS.find((l) => l === v) ?? 'ar';
  } catch {
    return 'ar';
  }
}

/** The remembered digit style (Arabic-Indic unless Latin was chosen). */
function storedDigits(): Digits {
  try {
    return globalThis.localStorage?.getItem(DIGITS_KEY) === 'latn' ? 'latn' : 'arab';
  } catch {
    return 'arab';
  }
}

function remember(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // not remembered, still switched
  }
}

let lang: Lang = storedLang();
setDigits(storedDigits());
let shown: Shown | undefined;
let store: TrustStore | undefined;
let backend: Ed25519Backend | undefined;

function applyLang(): void {
  const html = document.documentElement;
  html.lang = lang;
  html.dir = isRtl(lang) ? 'rtl' : 'ltr';
  document.title = t(lang, 'title');
  for (const node of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const key = node.dataset['i18n'] as UiKey;
    if (key in UI) node.textContent = t(lang, key);
  }
  $('paste-label').replaceChildren(...withMarkers(t(lang, 'pasteLabel')));
  $('langs').setAttribute('aria-label', t(lang, 'langGroup'));
  for (const l of LANGS) $(`lang-${l}`).setAttribute('aria-pressed', String(l === lang));
  const digits = $<HTMLButtonElement>('digits-toggle');
  // The button shows the style it switches to.
  digits.textContent = t(lang, getDigits() === 'arab' ? 'digitsLatn' : 'digitsArab');
  digits.setAttribute('aria-label', `${t(lang, 'digitsLabel')}: ${digits.textContent}`);
  digits.hidden = lang === 'en';
  updateTorchButton();
  if (shown) renderVerdict($('result'), shown, lang, checkAnother);
  if (store) renderTrust($('trust'), $('trust-alerts'), store, lang);
}

function show(s: Shown, input: string, started: number): void {
  shown = s;
  probe.last = s;
  renderVerdict($('result'), s, lang, checkAnother);
  const ms = performance.now() - started;
  probe.timings.push({ input, ms, code: s.kind === 'seal' ? s.result.code : s.message });
  $('result').dataset['ms'] = ms.toFixed(1);
  // On a phone the verdict may be above the input just used: bring its head into view.
  const top = $('result-region').getBoundingClientRect().top;
  if (top < 0 || top > window.innerHeight * 0.5) $('result-region').scrollIntoView({ block: 'start' });
}

/** "Check another document": clear the verdict and go back to the inputs, camera first. */
function checkAnother(): void {
  shown = undefined;
  $('result').replaceChildren();
  $<HTMLTextAreaElement>('paste').value = '';
  if (location.hash.startsWith('#UR1')) history.replaceState(null, '', location.pathname + location.search);
  $('scan-start').scrollIntoView({ block: 'center' });
  $('scan-start').focus();
}

function showWorking(): void {
  const p = document.createElement('p');
  p.className = 'working';
  p.textContent = t(lang, 'working');
  $('result').replaceChildren(p);
}

async function checkText(text: string, input: string, started = performance.now()): Promise<void> {
  if (!store?.trust || !backend) return show({ kind: 'problem', message: 'trustNone' }, input, started);
  store.refreshClock();
  const result: SealResult = await verifySeal(text, backend, { trust: store.trust, statusLists: store.statusLists });
  show({ kind: 'seal', result }, input, started);
}

/** The seal among the texts of the codes found: a seal first, else the first code (it will say MALFORMED). */
function pickSeal(texts: string[]): string | undefined {
  return texts.find(isSealLike) ?? texts[0];
}

async function checkFile(file: File): Promise<void> {
  const started = performance.now();
  showWorking();
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (isPdf(bytes)) {
      if (!store?.trust || !backend) return show({ kind: 'problem', message: 'trustNone' }, 'pdf', started);
      store.refreshClock();
      const result = await verifyPdfFile(bytes, backend, { trust: store.trust, statusLists: store.statusLists });
      const fileName = file.name;
      if (result.code === 'NO_SEAL') {
        // Maybe a scan of paper: look for the QR in the page images the file carries (JPEG, Flate, CCITT, JBIG2, JPX).
        const text = await sealInPageImages(bytes);
        if (text !== undefined) {
          const sealResult = await verifySeal(text, backend, { trust: store.trust, statusLists: store.statusLists });
          return show({ kind: 'seal', result: sealResult, scanned: true, fileName }, 'pdf-scan', started);
        }
      }
      return show({ kind: 'seal', result, fileName }, 'pdf', started);
    }
    const text = pickSeal(await readImageFile(file));
    if (text === undefined) return show({ kind: 'problem', message: 'noQr' }, 'image', started);
    await checkText(text, 'image', started);
  } catch (e) {
    show({ kind: 'problem', message: 'readError', detail: e instanceof Error ? e.message : String(e) }, 'file', started);
  }
}

async function sealInPageImages(bytes: Uint8Array): Promise<string | undefined> {
  for await (const page of pdfPageImages(bytes)) {
    try {
      const texts = await readImageFile(
        page.kind === 'jpeg' ? new Blob([page.bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }) : page.image,
      );
      const text = pickSeal(texts);
      if (text !== undefined && isSealLike(text)) return text;
    } catch {
      // not an image the browser can decode: try the next one
    }
  }
  return undefined;
}

function checkPasted(): void {
  const raw = $<HTMLTextAreaElement>('paste').value;
  const text = fromArabicLayout(raw.trim());
  if (text) void checkText(text, 'paste');
}

function checkHash(): void {
  const hash = location.hash;
  if (hash.startsWith('#UR1B:') || hash.startsWith('#UR1:')) {
    // The fragment never reaches a server; decodeURIComponent undoes what a browser may have escaped.
    let text = hash;
    try {
      text = decodeURIComponent(hash);
    } catch {
      // keep as is: the verifier reports it as malformed
    }
    void checkText(text.startsWith('#UR1:') ? text.slice(1) : text, 'link');
  }
}

// ---------------------------------------------------------------- camera

let camera: CameraScanner | undefined;

function updateTorchButton(): void {
  const torch = $<HTMLButtonElement>('torch');
  const on = camera?.torchOn ?? false;
  torch.textContent = t(lang, on ? 'torchOff' : 'torchOn');
  torch.setAttribute('aria-pressed', String(on));
}

async function startCamera(): Promise<void> {
  camera ??= new CameraScanner($<HTMLVideoElement>('camera-video'), (text) => {
    if (!isSealLike(text)) {
      // Another QR (a web address, a product code): say so and keep scanning.
      $('camera-status').textContent = t(lang, 'notSeal');
      return false;
    }
    stopCameraUi();
    void checkText(text, 'camera');
    return true;
  });
  $('camera').hidden = false;
  $('scan-start').hidden = true;
  $('camera-status').textContent = t(lang, 'scanning');
  try {
    await camera.start();
    $('torch').hidden = !camera.torchSupported();
    updateTorchButton();
    $('scan-stop').focus();
  } catch (e) {
    stopCameraUi();
    show(
      { kind: 'problem', message: 'cameraError', detail: e instanceof Error ? `${e.name}: ${e.message}` : String(e) },
      'camera',
      performance.now(),
    );
  }
}

function stopCameraUi(): void {
  camera?.stop();
  $('camera').hidden = true;
  $('scan-start').hidden = false;
  $('torch').hidden = true;
}

// ---------------------------------------------------------------- start-up

function bundledData(): BundledData {
  const node = document.getElementById('urseal-data');
  return JSON.parse(node?.textContent ?? '{}') as BundledData;
}

function wasmSource(): WasmSource {
  const inline = document.getElementById('urseal-wasm');
  if (inline) return { bytes: () => fromBase64((inline.textContent ?? '').trim()) };
  return { url: new URL('zxing_reader.wasm', document.baseURI).href };
}

function decoderSource(): DecoderSource {
  const code = document.getElementById('urseal-decoders');
  const wasm = document.getElementById('urseal-openjpeg');
  if (code && wasm) return { code: () => code.textContent ?? '', wasm: () => fromBase64((wasm.textContent ?? '').trim()) };
  return { url: new URL('scan-decoders.js', document.baseURI).href, wasmUrl: new URL('openjpeg.wasm', document.baseURI).href };
}

async function backgroundUpdate(): Promise<void> {
  // From file:// (verify.html on a USB stick) there is no issuer to ask: the bundled and stored lists are used.
  if (!store || !navigator.onLine || location.protocol === 'file:') return;
  if (await store.update()) probe.updated++;
  renderTrust($('trust'), $('trust-alerts'), store, lang);
}

function wire(): void {
  for (const l of LANGS)
    $(`lang-${l}`).addEventListener('click', () => {
      lang = l;
      remember(LANG_KEY, lang);
      applyLang();
    });
  $('digits-toggle').addEventListener('click', () => {
    setDigits(getDigits() === 'arab' ? 'latn' : 'arab');
    remember(DIGITS_KEY, getDigits());
    applyLang();
  });
  $('scan-start').addEventListener('click', () => void startCamera());
  $('scan-stop').addEventListener('click', () => {
    stopCameraUi();
    $('scan-start').focus();
  });
  $('torch').addEventListener('click', () => {
    if (!camera) return;
    void camera.setTorch(!camera.torchOn).then(updateTorchButton, updateTorchButton);
  });
  $<HTMLInputElement>('file-input').addEventListener('change', (e) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (file) void checkFile(file).finally(() => (input.value = ''));
  });
  $('paste-form').addEventListener('submit', (e) => {
    e.preventDefault();
    checkPasted();
  });
  // A scanner typing into the text box ends with Enter: verify at once (Shift+Enter still makes a new line).
  $('paste').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      checkPasted();
    }
  });
  listenForScanner(document, { onScan: (text) => void checkText(text, 'scanner') });
  window.addEventListener('hashchange', checkHash);
  window.addEventListener('online', () => void backgroundUpdate());
  setInterval(() => void backgroundUpdate(), UPDATE_EVERY_MS);
}

function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !location.protocol.startsWith('http')) return;
  navigator.serviceWorker.register('sw.js').catch(() => {
    // Offline use needs it, verification does not.
  });
}

async function main(): Promise<void> {
  configureReader(wasmSource());
  configureDecoders(decoderSource());
  applyLang();
  wire();
  backend = await selectBackend();
  store = await TrustStore.load(bundledData(), backend);
  renderTrust($('trust'), $('trust-alerts'), store, lang);
  checkHash();
  // The reader wasm compiles once the trust data is in (a link verdict needs no wasm); images wait for it.
  warmReader().catch(() => undefined);
  registerServiceWorker();
  probe.ready = true;
  document.documentElement.dataset['ready'] = '1';
  void backgroundUpdate();
}

void main();
