// Drawing the verdict and the trust-data panel: colour + icon + word, then the details, in the page language.
import { displayText, type PdfResult, type SealResult, type Verdict } from '../../core/verifier.js';
import { formatAge, formatDate, t, type Lang, type UiKey } from './i18n.js';
import type { TrustStore } from './trust.js';

/** A problem before any seal was read (no QR in the picture, unreadable file). */
export interface PageProblem {
  kind: 'problem';
  message: UiKey;
  note?: UiKey;
  detail?: string;
}

/** A seal result; `scanned`: read from a page image of a PDF (a scan of paper), not embedded in the file. */
export type Shown = { kind: 'seal'; result: SealResult | PdfResult; scanned?: boolean } | PageProblem;

type Style = Verdict | 'problem';

const ICONS: Record<Style, string> = {
  valid: '<path d="M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z"/>',
  invalid: '<path d="M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z"/>',
  warning: '<path d="M1 21h22L12 2zm12-3h-2v-2h2zm0-4h-2v-4h2z"/>',
  problem:
    '<path d="M11 18h2v-2h-2zm1-16a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16zm0-14a4 4 0 0 0-4 4h2a2 2 0 1 1 4 0c0 2-3 1.75-3 5h2c0-2.25 3-2.5 3-5a4 4 0 0 0-4-4z"/>',
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

function row(dl: HTMLDListElement, label: string, value: string, attrs: Record<string, string> = {}): void {
  dl.append(el('dt', {}, label), el('dd', attrs, bdi(value)));
}

function label(lang: Lang, l: { ar: string; en: string } | undefined, fallback: string): string {
  return l ? l[lang] || l.ar || l.en : fallback;
}

function keyStatus(lang: Lang, r: SealResult): string {
  const k = r.key!;
  const word = t(lang, k.status === 'active' ? 'keyActive' : k.status === 'retired' ? 'keyRetired' : 'keyRevoked');
  const parts = [word, t(lang, 'keyValidity', { from: formatDate(lang, k.notBefore), to: formatDate(lang, k.notAfter) })];
  if (k.revokedAt !== undefined) parts.push(t(lang, 'keyRevokedAt', { at: formatDate(lang, k.revokedAt) }));
  return parts.join(lang === 'ar' ? '، ' : '; ');
}

function details(lang: Lang, r: SealResult | PdfResult, scanned: boolean): HTMLElement[] {
  const out: HTMLElement[] = [];
  const c = r.claims;
  const showSigned = r.verdict !== 'invalid' || SIGNED_CONTENT_CODES.has(r.code);
  if ('file' in r)
    out.push(
      el(
        'p',
        { class: `file-check ${r.file.intact ? 'ok' : 'bad'}`, 'data-testid': 'file-check' },
        `${t(lang, 'fileTitle')}: ${r.file.message[lang]}`,
      ),
    );
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

  const dl = el('dl', { class: 'facts' });
  if (r.agency) row(dl, t(lang, 'agency'), label(lang, r.agency.name, r.agency.id), { 'data-testid': 'agency' });
  if (r.documentType) row(dl, t(lang, 'docType'), label(lang, r.documentType.name, r.documentType.id), { 'data-testid': 'doc-type' });
  if (c.doc.number) row(dl, t(lang, 'docNumber'), c.doc.number);
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
  // A seal bound to a PDF (hash and length) but read without the file (a photo, a scan, a link, typed text)
  // vouches for the signed fields only, as a paper seal does.
  const copy = c.doc.hash !== undefined && !('file' in r);
  if ((r.paper || scanned || copy) && r.verdict !== 'invalid') {
    const note = el('div', { class: 'paper', role: 'note', 'data-testid': 'paper' }, el('h3', {}, t(lang, 'paperTitle')));
    note.append(el('p', {}, t(lang, r.paper ? 'paperText' : scanned ? 'scannedText' : 'copyText')));
    out.push(note);
  }
  if (r.statusList?.checked) {
    const s = r.statusList;
    out.push(
      el(
        'p',
        { class: 'status-info' },
        t(lang, 'statusChecked', { date: formatDate(lang, s.issuedAt ?? 0), seq: s.sequence ?? 0 }) +
          (s.stale ? t(lang, 'statusStale') : ''),
      ),
    );
  } else if (r.statusList && !r.statusList.checked) {
    out.push(el('p', { class: 'status-info missing' }, t(lang, 'statusMissing')));
  }
  return out;
}

/** Replace `container`'s content with the verdict for `shown`. */
export function renderVerdict(container: HTMLElement, shown: Shown, lang: Lang): void {
  const style: Style = shown.kind === 'problem' ? 'problem' : shown.result.verdict;
  const card = el('div', { class: `verdict verdict-${style}`, 'data-testid': 'verdict', 'data-verdict': style });
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
    head.append(el('h2', { class: 'verdict-word', id: 'verdict-word' }, t(lang, WORD[r.verdict])));
    card.append(head, el('p', { class: 'verdict-message', 'data-testid': 'message' }, r.message[lang]));
    card.append(...details(lang, r, shown.scanned === true));
    if (r.code === 'NO_SEAL') card.append(el('p', {}, t(lang, 'scanPdfNote')));
    if (r.reason)
      card.append(el('details', {}, el('summary', {}, t(lang, 'reason')), el('code', { dir: 'ltr' }, `${r.code}: ${r.reason}`)));
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
  container.replaceChildren(...parts);
  alerts.replaceChildren(...warnings);
}
