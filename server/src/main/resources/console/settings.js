// Bucket settings: versioning, CORS and policy, read and written with S3's own calls.
import { s3, xml, val } from './api.js';
import { h, mount, toast, attempt } from './ui.js';

async function read(bucket, sub) {
  try {
    return { ok: true, text: await (await s3('GET', bucket, undefined, { [sub]: '' })).text() };
  } catch (e) {
    return { ok: false, code: e.code, message: e.message, status: e.status };
  }
}

export async function bucketSettingsView(bucket) {
  const [ver, cors, policy] = await Promise.all([read(bucket, 'versioning'), read(bucket, 'cors'), read(bucket, 'policy')]);

  let status = 'unknown';
  if (ver.ok) status = val(new DOMParser().parseFromString(ver.text, 'application/xml'), 'Status') || 'Off (never enabled)';
  const verMsg = h('span', { id: 'versioningStatus' }, ver.ok ? status : 'not available: ' + ver.code);
  const setVersioning = value => attempt(async () => {
    await s3('PUT', bucket, undefined, { versioning: '' }, { body: '<VersioningConfiguration><Status>' + value + '</Status></VersioningConfiguration>',
      headers: { 'Content-Type': 'application/xml' } });
    bucketSettingsView(bucket);
  }, 'Versioning ' + value.toLowerCase());
  const versioning = h('div', { class: 'card', id: 'versioning' }, h('h2', {}, 'Versioning'),
    h('div', { class: 'row' }, 'Status: ', verMsg,
      h('button', { type: 'button', onclick: () => setVersioning('Enabled') }, 'Enable'),
      h('button', { type: 'button', onclick: () => setVersioning('Suspended') }, 'Suspend')),
    h('p', { class: 'muted' }, 'Once enabled, versioning can only be suspended, as on S3; a refusal is shown as the server gives it.'));

  const corsText = h('textarea', { id: 'corsXml', spellcheck: 'false' });
  corsText.value = cors.ok ? cors.text : (cors.code === 'NoSuchCORSConfiguration' ? '' : '');
  const corsCard = h('div', { class: 'card' }, h('h2', {}, 'CORS'),
    h('p', { class: 'muted' }, cors.ok ? 'The bucket\'s CORSConfiguration (XML).' : cors.code === 'NoSuchCORSConfiguration' ? 'No CORS configuration. Paste a CORSConfiguration to add one.' : 'Cannot read: ' + cors.code + ' ' + cors.message),
    corsText, h('div', { class: 'row' },
      h('button', { type: 'button', class: 'primary', onclick: () => attempt(() => s3('PUT', bucket, undefined, { cors: '' },
        { body: corsText.value, headers: { 'Content-Type': 'application/xml' } }), 'CORS saved') }, 'Save CORS'),
      h('button', { type: 'button', class: 'danger', onclick: async () => {
        if (await attempt(() => s3('DELETE', bucket, undefined, { cors: '' }), 'CORS removed') !== undefined) bucketSettingsView(bucket);
      } }, 'Remove CORS')));

  const policyText = h('textarea', { id: 'policyJson', spellcheck: 'false' });
  policyText.value = policy.ok ? pretty(policy.text) : '';
  const policyCard = h('div', { class: 'card' }, h('h2', {}, 'Bucket policy'),
    h('p', { class: 'muted' }, policy.ok ? 'The bucket policy (JSON).' : policy.code === 'NoSuchBucketPolicy' ? 'No bucket policy.' : 'Cannot read: ' + policy.code + ' ' + policy.message),
    policyText, h('div', { class: 'row' },
      h('button', { type: 'button', class: 'primary', onclick: () => attempt(() => s3('PUT', bucket, undefined, { policy: '' },
        { body: policyText.value, headers: { 'Content-Type': 'application/json' } }), 'Policy saved') }, 'Save policy'),
      h('button', { type: 'button', class: 'danger', onclick: async () => {
        if (await attempt(() => s3('DELETE', bucket, undefined, { policy: '' }), 'Policy removed') !== undefined) bucketSettingsView(bucket);
      } }, 'Remove policy')));

  mount(h('h1', {}, 'Settings of ', h('a', { class: 'link', href: '#/b/' + encodeURIComponent(bucket) + '/' }, bucket)),
    versioning, corsCard, policyCard);
}

function pretty(text) {
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text; }
}
