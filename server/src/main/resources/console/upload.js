// Uploads: drag and drop or a file input; one PUT under 16 MiB, else a multipart upload whose parts
// are retried after network errors (same upload id), with a Resume button when retries run out.
// An unfinished multipart upload is remembered in localStorage (bucket, key, upload id, the file's
// name, size and lastModified, part size; never its bytes), so after a page reload the page lists it and
// offers Resume when the same file is selected again: ListParts says which parts are stored and only
// the missing ones are sent.
import { s3, s3Path, query, xml, val, kids, escapeXml, s3Error, csrfHeaders } from './api.js';
import { h, toast, bytes } from './ui.js';
import { state } from './app.js';

const SINGLE_MAX = 16 * 1024 * 1024;
const PART = 8 * 1024 * 1024;
const RETRIES = 4;
const PARALLEL = 3;
const STORE = 'mictlanx.console.uploads';
const KEEP = 50;

/** The unfinished uploads this browser remembers for the logged-in key. */
function pending() {
  let all;
  try { all = JSON.parse(localStorage.getItem(STORE) || '[]'); } catch (e) { all = []; }
  return Array.isArray(all) ? all : [];
}
function mine(e) { return state.session && e.owner === state.session.accessKey; }
function remember(entry) {
  try { localStorage.setItem(STORE, JSON.stringify(pending().filter(p => p.uploadId !== entry.uploadId).concat([entry]).slice(-KEEP))); }
  catch (e) { /* storage full or disabled: the upload still runs, it just cannot be resumed after a reload */ }
}
function forget(uploadId) {
  try { localStorage.setItem(STORE, JSON.stringify(pending().filter(p => p.uploadId !== uploadId))); } catch (e) { /* see remember */ }
}
/** The remembered upload of this file into this bucket, if any. */
function resumable(bucket, file) {
  return pending().find(p => mine(p) && p.bucket === bucket && p.name === file.name && p.size === file.size
    && p.lastModified === file.lastModified);
}

/** The upload area for {@code bucket}; {@code prefix()} is the folder the files go to. */
export function uploader(bucket, prefix, done) {
  const input = h('input', { type: 'file', id: 'fileInput', multiple: true });
  const rows = h('div', { id: 'uploads' });
  const zone = h('div', { class: 'drop', id: 'dropZone' }, 'Drop files here or ', input);
  zone.addEventListener('dragover', ev => { ev.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', ev => {
    ev.preventDefault(); zone.classList.remove('over');
    start(Array.from(ev.dataTransfer.files));
  });
  input.addEventListener('change', () => { start(Array.from(input.files)); input.value = ''; });
  const earlier = h('div', { id: 'pendingUploads' });

  function showEarlier() {
    const list = pending().filter(p => mine(p) && p.bucket === bucket);
    earlier.replaceChildren(...(list.length ? [h('p', { class: 'muted' }, 'Unfinished uploads from an earlier visit: select the same file again to resume.')] : []),
      ...list.map(p => h('div', { class: 'upload', 'data-key': p.key, 'data-upload-id': p.uploadId },
        h('span', {}, p.key + ' (' + bytes(p.size) + ', ' + p.name + ')'),
        h('button', { type: 'button', class: 'danger', onclick: async () => {
          try { await s3('DELETE', bucket, p.key, { uploadId: p.uploadId }); } catch (e) { if (e.status !== 404) { toast(e.message, true); return; } }
          forget(p.uploadId); toast('Upload discarded'); showEarlier();
        } }, 'Discard'))));
  }

  function start(files) {
    for (const f of files) {
      const entry = resumable(bucket, f);
      const u = new Upload(bucket, entry ? entry.key : prefix() + f.name, f, rows, () => { showEarlier(); done(); });
      if (entry) u.offer(entry); else u.run();
    }
    showEarlier();
  }
  showEarlier();
  return h('div', { class: 'card' }, zone, earlier, rows);
}

/** PUT of a body with upload progress (fetch has none); resolves to the XHR, rejects on network errors. */
function put(url, body, onProgress, headers) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('PUT', url);
    for (const [k, v] of Object.entries(headers || {})) x.setRequestHeader(k, v);
    x.upload.onprogress = ev => onProgress(ev.loaded);
    x.onload = () => resolve(x);
    x.onerror = () => reject(new Error('network error'));
    x.ontimeout = () => reject(new Error('timed out'));
    x.send(body);
  });
}

function csrf() { return csrfHeaders(); }

class Upload {
  constructor(bucket, key, file, rows, done) {
    this.bucket = bucket; this.key = key; this.file = file; this.done = done;
    this.bar = h('progress', { max: file.size || 1, value: 0 });
    this.status = h('span', { class: 'muted' }, 'waiting');
    this.action = h('span', {});
    this.row = h('div', { class: 'upload', 'data-key': key }, h('span', {}, key + ' (' + bytes(file.size) + ')'), this.bar, this.status, this.action);
    rows.append(this.row);
    this.sent = new Map(); // part number -> bytes sent so far
    this.etags = new Map(); // part number -> ETag of a stored part
    this.uploadId = null;
    this.partSize = null;
  }

  progress() {
    let total = 0;
    for (const n of this.sent.values()) total += n;
    this.bar.value = total;
    this.status.textContent = Math.floor(100 * total / (this.file.size || 1)) + '%';
  }

  async run() {
    this.action.replaceChildren();
    try {
      if (this.file.size < SINGLE_MAX) await this.single();
      else await this.multipart();
      this.bar.value = this.file.size || 1;
      this.status.textContent = 'done';
      this.status.className = 'ok';
      this.row.dataset.state = 'done';
      this.done();
    } catch (e) {
      this.status.textContent = (e.code ? e.code + ': ' : '') + e.message;
      this.status.className = 'bad';
      this.row.dataset.state = 'failed';
      if (this.uploadId) {
        this.action.replaceChildren(
          h('button', { type: 'button', onclick: () => this.run() }, 'Resume'),
          h('button', { type: 'button', class: 'danger', onclick: () => this.abort() }, 'Abort'));
      } else {
        this.action.replaceChildren(h('button', { type: 'button', onclick: () => this.run() }, 'Retry'));
      }
    }
  }

  async single() {
    const x = await this.retrying(() => put(s3Path(this.bucket, this.key), this.file, n => { this.sent.set(1, n); this.progress(); },
      Object.assign({ 'Content-Type': this.file.type || 'application/octet-stream' }, csrf())));
    if (x.status >= 300) throw await s3Error(new Response(x.responseText, { status: x.status }));
  }

  async multipart() {
    if (!this.uploadId) {
      const r = await s3('POST', this.bucket, this.key, { uploads: '' }, { headers: { 'Content-Type': this.file.type || 'application/octet-stream' } });
      this.uploadId = val(await xml(r), 'UploadId');
      this.partSize = Math.max(PART, Math.ceil(this.file.size / 10000));
      remember({ owner: state.session && state.session.accessKey, bucket: this.bucket, key: this.key, uploadId: this.uploadId,
        name: this.file.name, size: this.file.size, lastModified: this.file.lastModified, partSize: this.partSize, started: Date.now() });
    }
    const partSize = this.partSize;
    const count = Math.ceil(this.file.size / partSize);
    const todo = [];
    for (let n = 1; n <= count; n++) if (!this.etags.has(n)) todo.push(n);
    for (const n of todo) this.sent.set(n, 0);
    this.progress();
    const worker = async () => {
      while (todo.length) {
        const n = todo.shift();
        const blob = this.file.slice((n - 1) * partSize, Math.min(this.file.size, n * partSize));
        const x = await this.retrying(() => put(s3Path(this.bucket, this.key) + query({ partNumber: n, uploadId: this.uploadId }), blob,
          b => { this.sent.set(n, b); this.progress(); }, csrf()));
        if (x.status >= 300) throw await s3Error(new Response(x.responseText, { status: x.status }));
        this.etags.set(n, x.getResponseHeader('ETag'));
        this.sent.set(n, blob.size);
        this.progress();
      }
    };
    // Every worker finishes (or fails) before the outcome is known, so a Resume never races a part still in flight.
    const outcomes = await Promise.allSettled(Array.from({ length: Math.min(PARALLEL, todo.length) }, worker));
    const failed = outcomes.find(o => o.status === 'rejected');
    if (failed) throw failed.reason;
    const body = '<CompleteMultipartUpload>' + Array.from(this.etags.entries()).sort((a, b) => a[0] - b[0])
      .map(([n, e]) => '<Part><PartNumber>' + n + '</PartNumber><ETag>' + escapeXml(e) + '</ETag></Part>').join('') + '</CompleteMultipartUpload>';
    const r = await this.retrying(() => s3('POST', this.bucket, this.key, { uploadId: this.uploadId }, { body, headers: { 'Content-Type': 'application/xml' } }));
    const doc = await xml(r);
    if (doc.getElementsByTagName('Error').length) throw new Error(val(doc, 'Code') + ': ' + val(doc, 'Message'));
    forget(this.uploadId);
    this.uploadId = null;
    this.partSize = null;
  }

  /** A remembered upload of this file: offer to resume it (only the missing parts are sent) or start over. */
  offer(entry) {
    this.status.textContent = 'an unfinished upload of this file exists';
    this.row.dataset.state = 'resumable';
    this.action.replaceChildren(
      h('button', { type: 'button', onclick: () => this.resume(entry) }, 'Resume'),
      h('button', { type: 'button', onclick: async () => {
        try { await s3('DELETE', this.bucket, entry.key, { uploadId: entry.uploadId }); } catch (e) { /* gone already */ }
        forget(entry.uploadId); this.run();
      } }, 'Start over'));
  }

  /** Resumes a remembered upload: ListParts, keep the stored parts of the expected size, send the rest. */
  async resume(entry) {
    this.action.replaceChildren();
    this.uploadId = entry.uploadId;
    this.partSize = entry.partSize;
    try {
      let marker = '';
      for (;;) {
        const r = await this.retrying(() => s3('GET', this.bucket, this.key, { uploadId: this.uploadId, 'max-parts': '1000', 'part-number-marker': marker || undefined }));
        const doc = await xml(r);
        for (const p of kids(doc.documentElement, 'Part')) {
          const n = Number(val(p, 'PartNumber'));
          const size = Number(val(p, 'Size'));
          const expected = Math.min(this.file.size, n * this.partSize) - (n - 1) * this.partSize;
          if (size === expected) { this.etags.set(n, val(p, 'ETag')); this.sent.set(n, size); }
        }
        if (val(doc, 'IsTruncated') !== 'true') break;
        marker = val(doc, 'NextPartNumberMarker');
      }
    } catch (e) {
      if (e.status === 404) { // the upload was completed, aborted or expired meanwhile: start a new one
        forget(entry.uploadId);
        this.uploadId = null; this.partSize = null; this.etags.clear(); this.sent.clear();
        toast('The earlier upload of ' + this.key + ' is gone; uploading it again');
      } else {
        this.status.textContent = (e.code ? e.code + ': ' : '') + e.message;
        this.status.className = 'bad';
        this.row.dataset.state = 'failed';
        this.action.replaceChildren(h('button', { type: 'button', onclick: () => this.resume(entry) }, 'Resume'));
        return;
      }
    }
    this.row.dataset.resumedParts = String(this.etags.size);
    return this.run();
  }

  /** Retries a call after network errors and 5xx answers, with back-off; S3 refusals (4xx) are final. */
  async retrying(call) {
    let wait = 500;
    for (let attempt = 0; ; attempt++) {
      try {
        const x = await call();
        if (x.status >= 500 && attempt < RETRIES) throw new Error('HTTP ' + x.status);
        return x;
      } catch (e) {
        if (e.status && e.status < 500) throw e;
        if (attempt >= RETRIES) throw e;
        this.status.textContent = 'retrying after ' + e.message;
        await new Promise(r => setTimeout(r, wait));
        wait = Math.min(wait * 2, 8000);
      }
    }
  }

  async abort() {
    try { await s3('DELETE', this.bucket, this.key, { uploadId: this.uploadId }); forget(this.uploadId); toast('Upload aborted'); }
    catch (e) { toast(e.message, true); }
    this.row.remove();
  }
}
