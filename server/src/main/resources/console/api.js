// The console's calls: its JSON API and S3 through the session gateway (/console/api/s3/...).
// The browser never holds the secret: the session cookie is HttpOnly and the CSRF token lives in memory.

let csrf = null;

/** Remembers the session's CSRF token (sent on every state-changing call). */
export function setCsrf(token) { csrf = token; }

/** The CSRF header for calls made outside fetch (XMLHttpRequest uploads). */
export function csrfHeaders() { return csrf ? { 'X-Mx-Csrf': csrf } : {}; }

export class ApiError extends Error {
  constructor(status, code, message) { super(message || code || ('HTTP ' + status)); this.status = status; this.code = code; }
}

function headersFor(method, extra) {
  const h = Object.assign({}, extra || {});
  if (method !== 'GET' && method !== 'HEAD' && csrf) h['X-Mx-Csrf'] = csrf;
  return h;
}

/** A console JSON call; resolves to the parsed answer or throws ApiError. */
export async function api(method, path, json) {
  const init = { method, headers: headersFor(method), credentials: 'same-origin' };
  if (json !== undefined) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(json); }
  const r = await fetch('/console/api/' + path, init);
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new ApiError(r.status, body.error, body.message);
  return body;
}

/** The gateway path of a bucket/key, each key segment percent-encoded. */
export function s3Path(bucket, key) {
  let p = '/console/api/s3/' + encodeURIComponent(bucket || '');
  if (key !== undefined && key !== null) p += '/' + key.split('/').map(encodeURIComponent).join('/');
  return p;
}

export function query(params) {
  const parts = [];
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null) continue;
    parts.push(encodeURIComponent(k) + (v === '' ? '' : '=' + encodeURIComponent(v)));
  }
  return parts.length ? '?' + parts.join('&') : '';
}

/** An S3 call through the gateway; throws ApiError with S3's Code and Message on an error answer. */
export async function s3(method, bucket, key, params, opts) {
  const o = opts || {};
  const r = await fetch(s3Path(bucket, key) + query(params), {
    method, headers: headersFor(method, o.headers), body: o.body, credentials: 'same-origin' });
  if (!r.ok) throw await s3Error(r);
  return r;
}

export async function s3Error(r) {
  const text = await r.text().catch(() => '');
  if (text.startsWith('{')) { try { const j = JSON.parse(text); return new ApiError(r.status, j.error, j.message); } catch (e) { /* not JSON */ } }
  const doc = text ? new DOMParser().parseFromString(text, 'application/xml') : null;
  const code = doc ? val(doc, 'Code') : '';
  const message = doc ? val(doc, 'Message') : '';
  return new ApiError(r.status, code || ('HTTP ' + r.status), message || code || ('HTTP ' + r.status));
}

/** Parses an XML answer. */
export async function xml(r) { return new DOMParser().parseFromString(await r.text(), 'application/xml'); }

/** The text of the first descendant element named {@code name}, or ''. */
export function val(node, name) {
  const e = node.getElementsByTagName(name)[0];
  return e ? e.textContent : '';
}

/** Direct children of {@code node} named {@code name}. */
export function kids(node, name) { return Array.from(node.getElementsByTagName(name)).filter(e => e.parentNode === node); }

export function escapeXml(s) {
  return String(s).replace(/[<>&'"]/g, c => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' }[c]));
}
