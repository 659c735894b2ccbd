// Drawing the verdict and the trust-data panel: colour + icon + word, then the details, in the page language.
import { displayText, type PdfResult, type SealResult, type Verdict } from '../../core/verifier.js';
import { fileMessage, formatAge, formatDate, resultMessage, splitMarkers, t, type Lang, type UiKey } from './i18n.js';
import type { TrustStore } from './trust.js';

/** A problem before any seal was read (no QR in the picture, unreadable file). */
export interface PageProblem {
  kind: 'problem';
  message: UiKey;
  note?: UiKey;
  detail?: string;
}

/**
 * A seal result; `scanned`: read from a page image of a PDF (a scan of paper), not embedded in the file;
 * `fileName`: the PDF file the verdict is about (a verdict on a file names it).
 */
export type Shown = { kind: 'seal'; result: SealResult | PdfResult; scanned?: boolean; fileName?: string } | PageProblem;

/** The look of a verdict card: its verdict, or `copy` for a good seal read from paper (compare the printed text). */
type Style = Verdict | 'problem' | 'copy';

const ICONS: Record<Style, string> = {
  valid: '<path d="M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z"/>',
  invalid: '<path d="M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z"/>',
  warning: '<path d="M1 21h22L12 2zm12-3h-2v-2h2zm0-4h-2v-4h2z"/>',
  problem:
    '<path d="M11 18h2v-2h-2zm1-16a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16zm0-14a4 4 0 0 0-4 4h2a2 2 0 1 1 4 0c0 2-3 1.75-3 5h2c0-2.25 3-2.5 3-5a4 4 0 0 0-4-4z"/>',
  // a sheet of paper with lines of text and an eye-check mark: "compare the printed text"
  copy: '<path d="M6 2h9l5 5v15H6zm8 1.5V8h4.5zM8 11h10v1.6H8zm0 3.5h10v1.6H8zm0 3.5h6v1.6H8z"/>',
};

const WORD: Record<Verdict, UiKey> = { valid: 'wordValid', invalid: 'wordInvalid', warning: 'wordWarning' };

/** Codes after which the signed content is known to be the agency's (signature checked), so it may be shown. */
const SIGNED_CONTENT_CODES = new Set(['FILE_MODIFIED', 'DOCUMENT_REVOKED', 'EXPIRED']);

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

function icon(style: Style): SVGElement {
  const wrap = document.createElement('span');
  wrap.innerHTML = `<svg class="icon" viewBox="0 0 24 24" width="48" height="48" aria-hidden="true" focusable="false" fill="currentColor">${ICONS[style]}</svg>`;
  return wrap.firstElementChild as SVGElement;
}

/**
 * A value in its own direction (a Latin number in Arabic text, or the reverse) without moving its alignment: an
 * isolate whose direction comes from its own first strong character. Controls and bidi controls from older seals
 * are shown as marks (displayText) and never act, so a value cannot display as something it is not.
 */
const bdi = (text: string): HTMLElement => el('bdi', { dir: 'auto' }, displayText(text));

/** A page text with `UR1:` and `#UR1B:` isolated left to right, so the colon and `#` stay where they belong in Arabic. */
export function withMarkers(text: string): Node[] {
  return splitMarkers(text).map((p) => (p.marker ? el('bdi', { dir: 'ltr' }, p.text) : document.createTextNode(p.text)));
}

function row(dl: HTMLDListElement, label: string, value: string, attrs: Record<string, string> = {}): void {
  dl.append(el('div', { class: 'fact' }, el('dt', {}, label), el('dd', attrs, bdi(value))));
}

/** A trust-list label in the page language: Kurdish when chosen and published, else Arabic (then English). */
function label(lang: Lang, l: { ar: string; en: string; ckb?: string } | undefined, fallback: string): string {
  if (!l) return fallback;
  if (lang === 'ckb') return l.ckb || l.ar || l.en;
  return l[lang] || l.ar || l.en;
}

function keyStatus(lang: Lang, r: SealResult): string {
  const k = r.key!;
  const word = t(lang, k.status === 'active' ? 'keyActive' : k.status === 'retired' ? 'keyRetired' : 'keyRevoked');
  const parts = [word, t(lang, 'keyValidity', { from: formatDate(lang, k.notBefore), to: formatDate(lang, k.notAfter) })];
  if (k.revokedAt !== undefined) parts.push(t(lang, 'keyRevokedAt', { at: formatDate(lang, k.revokedAt) }));
  return parts.join(lang === 'en' ? '; ' : '، ');
}

/** Whether a seal that checked out was read from paper (paper seal, a scan, or a PDF-bound seal read without its file). */
function isCopy(r: SealResult | PdfResult, scanned: boolean): boolean {
  if (r.verdict === 'invalid' || !r.claims) return false;
  // A seal bound to a PDF (hash and length) but read without the file (a photo, a scan, a link, typed text)
  // vouches for the signed fields only, as a paper seal does.
  const copy = r.claims.doc.hash !== undefined && !('file' in r);
  return r.paper === true || scanned || copy;
}

function details(lang: Lang, shown: Extract<Shown, { kind: 'seal' }>): HTMLElement[] {
  const r = shown.result;
  const scanned = shown.scanned === true;
  const out: HTMLElement[] = [];
  const c = r.claims;
  const showSigned = r.verdict !== 'invalid' || SIGNED_CONTENT_CODES.has(r.code);
  if ('file' in r) {
    // The file by name, then what was found: "stamped.pdf: File intact: ..." (no "File: File intact").
    const p = el('p', { class: `file-check ${r.file.intact ? 'ok' : 'bad'}`, 'data-testid': 'file-check' });
    if (shown.fileName)
      p.append(el('bdi', { class: 'file-name', dir: 'auto', 'data-testid': 'file-name' }, displayText(shown.fileName)), ': ');
    p.append(fileMessage(lang, r.file.message));
    out.push(p);
  } else if (shown.fileName) {
    // A scan read from a PDF's page image: no file check, but the verdict still names the file it is about.
    out.push(
      el(
        'p',
        { class: 'file-check scan', 'data-testid': 'scanned-file' },
        `${t(lang, 'fileTitle')}: `,
        el('bdi', { class: 'file-name', dir: 'auto', 'data-testid': 'file-name' }, displayText(shown.fileName)),
      ),
    );
  }
  if (!c) return out;
  if (!showSigned) {
    // Unconfirmed: say whom the seal names, so the person knows which agency to ask, and nothing more.
    if (r.agency)
      out.push(
        el(
          'p',
          { class: 'claimed', 'data-testid': 'claimed' },
          t(lang, 'claimedAgency', { agency: label(lang, r.agency.name, r.agency.id) }),
        ),
      );
    return out;
  }

  // Paper or a copy: what to compare comes first, above the details, not below the fold.
  if (isCopy(r, scanned)) {
    const note = el('div', { class: 'paper', role: 'note', 'data-testid': 'paper' }, el('h3', {}, t(lang, 'paperTitle')));
    note.append(el('p', {}, t(lang, r.paper ? 'paperText' : scanned ? 'scannedText' : 'copyText')));
    out.push(note);
  }

  const dl = el('dl', { class: 'facts' });
  if (r.agency) row(dl, t(lang, 'agency'), label(lang, r.agency.name, r.agency.id), { 'data-testid': 'agency' });
  if (r.documentType) row(dl, t(lang, 'docType'), label(lang, r.documentType.name, r.documentType.id), { 'data-testid': 'doc-type' });
  if (c.doc.number) row(dl, t(lang, 'docNumber'), c.doc.number, { 'data-testid': 'doc-number' });
  row(dl, t(lang, 'issued'), formatDate(lang, c.iat, true), { 'data-testid': 'issued' });
  if (c.exp !== undefined) row(dl, t(lang, 'expires'), formatDate(lang, c.exp, true));
  if (r.key) row(dl, t(lang, 'keyStatus'), keyStatus(lang, r), { 'data-testid': 'key-status' });
  out.push(dl);

  if (r.fields && r.fields.length > 0) {
    const table = el('table', { class: 'fields', 'data-testid': 'fields' }, el('caption', {}, t(lang, 'signedFields')));
    const body = el('tbody');
    for (const f of r.fields) {
      body.append(el('tr', {}, el('th', { scope: 'row' }, bdi(label(lang, f.label, f.id))), el('td', {}, bdi(String(f.value)))));
    }
    table.append(body);
    out.push(table);
  }
  if (r.statusList?.checked) {
    const s = r.statusList;
    const vars = { date: formatDate(lang, s.issuedAt ?? 0), seq: s.sequence ?? 0 };
    out.push(
      s.stale
        ? el('p', { class: 'status-info warn', 'data-testid': 'status-info', 'data-stale': '1' }, t(lang, 'statusStale', vars))
        : el('p', { class: 'status-info', 'data-testid': 'status-info' }, t(lang, 'statusChecked', vars)),
    );
  } else if (r.statusList && !r.statusList.checked) {
    out.push(el('p', { class: 'status-info missing', 'data-testid': 'status-info' }, t(lang, 'statusMissing')));
  }
  return out;
}

/**
 * Replace `container`'s content with the verdict for `shown`. `again` (if given) is called by the card's
 * "check another document" button.
 */
export function renderVerdict(container: HTMLElement, shown: Shown, lang: Lang, again?: () => void): void {
  const style: Style =
    shown.kind === 'problem'
      ? 'problem'
      : isCopy(shown.result, shown.scanned === true) && shown.result.verdict === 'valid'
        ? 'copy'
        : shown.result.verdict;
  const verdictAttr = shown.kind === 'problem' ? 'problem' : shown.result.verdict;
  const card = el('div', { class: `verdict verdict-${style}`, 'data-testid': 'verdict', 'data-verdict': verdictAttr, 'data-look': style });
  const head = el('div', { class: 'verdict-head' }, icon(style));
  if (shown.kind === 'problem') {
    head.append(el('h2', { class: 'verdict-word', id: 'verdict-word' }, t(lang, 'wordProblem')));
    card.append(head, el('p', { class: 'verdict-message', 'data-testid': 'message' }, t(lang, shown.message)));
    if (shown.note) card.append(el('p', {}, t(lang, shown.note)));
    if (shown.detail) card.append(el('details', {}, el('summary', {}, t(lang, 'reason')), el('code', { dir: 'ltr' }, shown.detail)));
    card.dataset['code'] = shown.message;
  } else {
    const r = shown.result;
    card.dataset['code'] = r.code;
    if (style === 'copy') {
      // Paper: its own colour and heading, so it cannot be taken for an intact PDF at a glance.
      head.append(
        el(
          'div',
          { class: 'verdict-title' },
          el('h2', { class: 'verdict-word', id: 'verdict-word' }, t(lang, 'wordCopy')),
          el('p', { class: 'verdict-sub', 'data-testid': 'copy-sub' }, t(lang, 'copySub')),
        ),
      );
    } else {
      head.append(el('h2', { class: 'verdict-word', id: 'verdict-word' }, t(lang, WORD[r.verdict])));
    }
    card.append(head, el('p', { class: 'verdict-message', 'data-testid': 'message' }, resultMessage(lang, r.code, r.message)));
    card.append(...details(lang, shown));
    if (r.code === 'NO_SEAL') card.append(el('p', {}, t(lang, 'scanPdfNote')));
    if (r.reason)
      card.append(el('details', {}, el('summary', {}, t(lang, 'reason')), el('code', { dir: 'ltr' }, `${r.code}: ${r.reason}`)));
  }
  if (again) {
    const button = el('button', { type: 'button', class: 'primary', 'data-testid': 'again' }, t(lang, 'scanAgain'));
    button.addEventListener('click', again);
    card.append(el('div', { class: 'again' }, button));
  }
  container.replaceChildren(card);
}

/**
 * The trust-data panel (list number and age, source) and, at the top of the page where they are seen,
 * the warnings: no list, list past its update date, device clock behind, a refused update.
 */
export function renderTrust(container: HTMLElement, alerts: HTMLElement, store: TrustStore, lang: Lang): void {
  store.refreshClock();
  const parts: HTMLElement[] = [];
  const warnings: HTMLElement[] = [];
  const tl = store.trust?.list;
  if (!tl) {
    warnings.push(el('p', { class: 'warn', role: 'alert' }, t(lang, 'trustNone')));
  } else {
    const now = Math.floor(Date.now() / 1000);
    parts.push(
      el(
        'p',
        { 'data-testid': 'trust-info' },
        t(lang, 'trustInfo', { seq: tl.sequence, date: formatDate(lang, tl.issuedAt), age: formatAge(lang, now - tl.issuedAt) }) +
          ' ' +
          t(lang, 'trustSource', {
            src: t(lang, store.source === 'bundled' ? 'srcBundled' : store.source === 'stored' ? 'srcStored' : 'srcNetwork'),
          }),
      ),
    );
    if (store.fetchedAt !== undefined)
      parts.push(el('p', { 'data-testid': 'trust-fetched' }, t(lang, 'trustFetched', { date: formatDate(lang, store.fetchedAt, true) })));
    if (store.stale)
      warnings.push(
        el('p', { class: 'warn', 'data-testid': 'trust-stale' }, t(lang, 'trustStale', { date: formatDate(lang, tl.expiresAt) })),
      );
    if (store.clockBehind)
      warnings.push(
        el('p', { class: 'warn', 'data-testid': 'clock-behind' }, t(lang, 'clockBehind', { date: formatDate(lang, tl.issuedAt, true) })),
      );
  }
  if (store.rejected)
    warnings.push(
      el(
        'p',
        { class: 'warn', 'data-testid': 'trust-rejected' },
        t(lang, 'trustRejected', { why: `${store.rejected.code} (${store.rejected.reason})` }),
      ),
    );
  // Each agency's revocations as held: the date they are as of, and (a warning) when that list is out of date.
  const now = Math.floor(Date.now() / 1000);
  for (const agency of tl?.agencies ?? []) {
    const held = store.statusLists.get(agency.id);
    const name = label(lang, agency.name, agency.id);
    if (held) {
      const stale = now > held.list.expiresAt;
      const vars = { agency: name, date: formatDate(lang, held.list.issuedAt), seq: held.list.sequence };
      parts.push(
        el(
          'p',
          { class: stale ? 'warn' : '', 'data-testid': 'status-held', 'data-agency': agency.id, ...(stale ? { 'data-stale': '1' } : {}) },
          t(lang, stale ? 'statusHeldStale' : 'statusHeld', vars),
        ),
      );
    }
    const refused = store.statusRejected.get(agency.id);
    if (refused)
      warnings.push(
        el(
          'p',
          { class: 'warn', 'data-testid': 'status-rejected' },
          t(lang, 'statusRejected', { agency: name, why: `${refused.code} (${refused.reason})` }),
        ),
      );
  }
  container.replaceChildren(...parts);
  alerts.replaceChildren(...warnings);
}
