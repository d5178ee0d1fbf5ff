// Object browser: prefixes as folders, prefix search, multi-delete, details (metadata, tags, preview, share).
import { api, s3, s3Path, query, xml, val, kids, escapeXml } from './api.js';
import { h, mount, toast, bytes, when, attempt } from './ui.js';
import { uploader } from './upload.js';

export async function objectsView(bucket, prefix) {
  const search = h('input', { id: 'search', placeholder: 'Search by prefix in this folder', size: 32 });
  const list = h('tbody', { id: 'objects' });
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  const panel = h('div', { class: 'card panel', id: 'details' }, h('p', { class: 'muted' }, 'Select an object to see its details.'));
  const selected = new Set();
  const delButton = h('button', { class: 'danger', type: 'button', id: 'deleteSelected', disabled: true }, 'Delete selected');
  let token = null;

  const crumbs = h('div', { class: 'crumbs' }, h('a', { href: '#/buckets' }, 'Buckets'), ' / ',
    h('a', { href: '#/b/' + encodeURIComponent(bucket) + '/' }, bucket), ' / ',
    prefix.split('/').filter(Boolean).map((seg, i, all) => [
      h('a', { href: '#/b/' + encodeURIComponent(bucket) + '/' + encodeURIComponent(all.slice(0, i + 1).join('/') + '/') }, seg), ' / ']));

  async function load(reset) {
    if (reset) { list.replaceChildren(); token = null; selected.clear(); delButton.disabled = true; }
    const params = { 'list-type': '2', delimiter: '/', prefix: prefix + search.value, 'max-keys': '200' };
    if (token) params['continuation-token'] = token;
    const doc = await xml(await s3('GET', bucket, undefined, params));
    for (const p of doc.getElementsByTagName('CommonPrefixes')) {
      const full = val(p, 'Prefix');
      list.append(h('tr', {}, h('td', {}), h('td', {}, h('a', { class: 'link', href: '#/b/' + encodeURIComponent(bucket) + '/' + encodeURIComponent(full) },
        '📁 ' + full.slice(prefix.length))), h('td', {}), h('td', {})));
    }
    for (const c of kids(doc.documentElement, 'Contents')) {
      const key = val(c, 'Key');
      const box = h('input', { type: 'checkbox', onchange: ev => {
        if (ev.target.checked) selected.add(key); else selected.delete(key);
        delButton.disabled = selected.size === 0;
      } });
      list.append(h('tr', { 'data-key': key }, h('td', {}, box),
        h('td', {}, h('a', { class: 'link', onclick: () => details(bucket, key, panel, () => load(true)) }, key.slice(prefix.length))),
        h('td', { class: 'num' }, bytes(Number(val(c, 'Size')))), h('td', {}, when(val(c, 'LastModified')))));
    }
    token = val(doc, 'IsTruncated') === 'true' ? val(doc, 'NextContinuationToken') : null;
    more.hidden = !token;
    if (!list.children.length) list.append(h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'Nothing here.')));
  }

  delButton.addEventListener('click', async () => {
    const keys = Array.from(selected);
    if (!confirm('Delete ' + keys.length + ' object(s)?')) return;
    const body = '<Delete>' + keys.map(k => '<Object><Key>' + escapeXml(k) + '</Key></Object>').join('') + '<Quiet>true</Quiet></Delete>';
    const r = await attempt(() => s3('POST', bucket, undefined, { delete: '' }, { body, headers: { 'Content-Type': 'application/xml' } }));
    if (r) {
      const doc = await xml(r);
      const errors = Array.from(doc.getElementsByTagName('Error'));
      if (errors.length) toast(errors.length + ' not deleted: ' + errors.map(e => val(e, 'Key') + ' (' + val(e, 'Code') + ')').join(', '), true);
      else toast(keys.length + ' object(s) deleted');
      load(true);
    }
  });
  let timer = null;
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => load(true).catch(e => toast(e.message, true)), 250); });
  more.addEventListener('click', () => load(false).catch(e => toast(e.message, true)));

  const up = uploader(bucket, () => prefix, () => load(true).catch(() => {}));
  mount(h('h1', {}, bucket), crumbs, up,
    h('div', { class: 'row' }, search, delButton,
      h('a', { class: 'button', href: '#/settings/' + encodeURIComponent(bucket) }, 'Bucket settings')),
    h('div', { class: 'split' },
      h('div', {}, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, 'Name'), h('th', { class: 'num' }, 'Size'),
        h('th', {}, 'Last modified'))), list), more),
      panel));
  await load(true);
}

async function details(bucket, key, panel, reload) {
  panel.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  const head = await attempt(() => s3('HEAD', bucket, key));
  if (!head) { panel.replaceChildren(h('p', { class: 'bad' }, 'Cannot read this object.')); return; }
  const meta = [];
  head.headers.forEach((v, k) => {
    if (/^(content-|etag|last-modified|x-amz-meta-|x-amz-version-id|x-amz-storage-class|x-amz-server-side|x-amz-tagging-count|cache-control|expires)/.test(k)
        && k !== 'content-security-policy') meta.push([k, v]);
  });
  const tags = h('div', { class: 'kv', id: 'tags' }, h('span', { class: 'muted' }, 'loading…'));
  attempt(async () => {
    const doc = await xml(await s3('GET', bucket, key, { tagging: '' }));
    const list = Array.from(doc.getElementsByTagName('Tag')).map(t => [val(t, 'Key'), val(t, 'Value')]);
    tags.replaceChildren(...(list.length ? list.flatMap(([k, v]) => [h('span', {}, k), h('span', {}, v)]) : [h('span', { class: 'muted' }, 'no tags')]));
  });
  const type = head.headers.get('content-type') || '';
  const size = Number(head.headers.get('content-length') || 0);
  const preview = h('div', { id: 'preview' });
  if (type.startsWith('image/') && size <= 20 * 1024 * 1024) {
    attempt(async () => {
      const blob = await (await s3('GET', bucket, key)).blob();
      const url = URL.createObjectURL(blob);
      preview.replaceChildren(h('img', { src: url, alt: key }));
    });
  } else if (/^text\/|json|xml|javascript|yaml|csv/.test(type) || /\.(txt|md|json|csv|log|xml|ya?ml|ini|conf)$/i.test(key)) {
    attempt(async () => {
      const r = await s3('GET', bucket, key, undefined, { headers: { Range: 'bytes=0-65535' } });
      preview.replaceChildren(h('pre', {}, await r.text()), size > 65536 ? h('p', { class: 'muted' }, 'first 64 KiB shown') : null);
    });
  } else {
    preview.replaceChildren(h('p', { class: 'muted' }, 'No preview for ' + (type || 'this type') + '.'));
  }
  const filename = key.split('/').pop() || 'download';
  const download = h('a', { class: 'button', id: 'download', download: filename,
    href: s3Path(bucket, key) + query({ 'response-content-disposition': 'attachment; filename="' + filename.replace(/["\\\r\n]/g, '_') + '"' }) }, 'Download');
  const expiry = h('select', { id: 'expiry' }, [['900', '15 minutes'], ['3600', '1 hour'], ['86400', '1 day'], ['604800', '7 days']]
    .map(([v, l]) => h('option', { value: v, selected: v === '3600' }, l)));
  const link = h('input', { id: 'shareUrl', readonly: true, size: 40, placeholder: 'share link' });
  const share = h('button', { type: 'button', onclick: () => attempt(async () => {
    const r = await api('POST', 'presign', { bucket, key, expiresSeconds: Number(expiry.value) });
    link.value = r.url; link.select();
    toast('Link valid until ' + when(r.expiresAt));
  }) }, 'Share link');
  const del = h('button', { class: 'danger', type: 'button', onclick: async () => {
    if (!confirm('Delete ' + key + '?')) return;
    if (await attempt(() => s3('DELETE', bucket, key), 'Deleted ' + key)) { panel.replaceChildren(); reload(); }
  } }, 'Delete');
  panel.replaceChildren(h('h2', {}, key), h('div', { class: 'row' }, download, del),
    h('div', { class: 'row' }, expiry, share), h('div', { class: 'row' }, link),
    h('h2', {}, 'Metadata'), h('div', { class: 'kv', id: 'metadata' }, meta.flatMap(([k, v]) => [h('span', {}, k), h('span', {}, v)])),
    h('h2', {}, 'Tags'), tags, h('h2', {}, 'Preview'), preview);
}
