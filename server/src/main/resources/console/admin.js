// Administration (root, or users whose policy grants the admin actions, e.g. consoleAdmin; the server
// refuses each call to anyone else with 403 AccessDenied): users and keys,
// policies, and the cluster with live charts from the request metrics.
import { api } from './api.js';
import { h, mount, toast, bytes, when, attempt } from './ui.js';
import { LineChart } from './chart.js';

let stop = () => {};

export async function adminView(page, session) {
  stop(); stop = () => {};
  if (page === 'policies') return policiesView();
  if (page === 'cluster') return clusterView();
  return usersView();
}

function q(params) { return '?' + new URLSearchParams(params).toString(); }

async function usersView(openUser) {
  const list = await api('GET', 'admin/users');
  const users = list.users || [];
  const name = h('input', { id: 'newUser', placeholder: 'user name' });
  const secretBox = h('div', { id: 'newSecret' });
  const form = h('form', { class: 'row' }, name, h('button', { class: 'primary', type: 'submit' }, 'Add user'));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const r = await attempt(() => api('POST', 'admin/users' + q({ name: name.value.trim() })));
    if (r) { await usersView(r.name); showSecret(r); }
  });
  const detail = h('div', { class: 'card', id: 'userDetail' }, h('p', { class: 'muted' }, 'Select a user.'));
  function showSecret(r) {
    document.getElementById('newSecret').replaceChildren(h('div', { class: 'card' },
      h('strong', {}, 'New key for ' + r.name + ' — the secret is shown only now: '),
      h('div', { class: 'kv' }, h('span', {}, 'access key'), h('code', {}, r.accessKey), h('span', {}, 'secret key'), h('code', {}, r.secretKey))));
  }
  async function open(user) {
    const [keys, attached, all] = await Promise.all([api('GET', 'admin/keys' + q({ user })), api('GET', 'admin/policies' + q({ user })), api('GET', 'admin/policies')]);
    const keyRows = (keys.keys || []).map(k => h('tr', {}, h('td', {}, h('code', {}, k.accessKey)), h('td', {}, k.status),
      h('td', {}, when(k.created)), h('td', {},
        h('button', { type: 'button', onclick: async () => { if (await attempt(() => api('POST', 'admin/keys/' + (k.status === 'Active' ? 'disable' : 'enable') + q({ user, accessKey: k.accessKey })))) open(user); } }, k.status === 'Active' ? 'Disable' : 'Enable'), ' ',
        h('button', { type: 'button', class: 'danger', onclick: async () => { if (confirm('Delete key ' + k.accessKey + '?') && await attempt(() => api('DELETE', 'admin/keys' + q({ user, accessKey: k.accessKey })))) open(user); } }, 'Delete'))));
    const names = (attached.attached || []).map(p => typeof p === 'string' ? p : p.name);
    const choose = h('select', { id: 'attachPolicy' }, (all.policies || []).map(p => typeof p === 'string' ? p : p.name).filter(n => !names.includes(n)).map(n => h('option', { value: n }, n)));
    detail.replaceChildren(h('h2', {}, user),
      h('div', { class: 'row' },
        h('button', { type: 'button', onclick: async () => { const r = await attempt(() => api('POST', 'admin/keys' + q({ user }))); if (r) { showSecret(r); open(user); } } }, 'Add key'),
        h('button', { type: 'button', class: 'danger', onclick: async () => { if (confirm('Delete user ' + user + ' and its keys?') && await attempt(() => api('DELETE', 'admin/users' + q({ name: user })), 'User deleted')) usersView(); } }, 'Delete user')),
      h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Access key'), h('th', {}, 'State'), h('th', {}, 'Created'), h('th', {}, ''))), h('tbody', {}, keyRows)),
      h('h2', {}, 'Policies'),
      h('div', { class: 'row' }, names.length ? names.map(n => h('span', { class: 'pill' }, n, ' ',
        h('a', { class: 'link', title: 'detach', onclick: async () => { if (await attempt(() => api('POST', 'admin/policies/detach' + q({ user, name: n })))) open(user); } }, '×'))) : h('span', { class: 'muted' }, 'none attached')),
      h('div', { class: 'row' }, choose, h('button', { type: 'button', onclick: async () => { if (choose.value && await attempt(() => api('POST', 'admin/policies/attach' + q({ user, name: choose.value })))) open(user); } }, 'Attach')));
  }
  const rows = users.map(u => h('tr', { 'data-user': u.name }, h('td', {}, h('a', { class: 'link', onclick: () => attempt(() => open(u.name)) }, u.name)),
    h('td', {}, u.status), h('td', {}, when(u.created)),
    h('td', {}, h('button', { type: 'button', onclick: async () => { if (await attempt(() => api('POST', 'admin/users/' + (u.status === 'Active' ? 'disable' : 'enable') + q({ name: u.name })))) usersView(u.name); } }, u.status === 'Active' ? 'Disable' : 'Enable'))));
  mount(h('h1', {}, 'Users and keys'), form, secretBox,
    h('div', { class: 'split even' }, h('table', { id: 'users' }, h('thead', {}, h('tr', {}, h('th', {}, 'User'), h('th', {}, 'State'), h('th', {}, 'Created'), h('th', {}, ''))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'No users yet.')))), detail));
  if (openUser) await open(openUser);
}

async function policiesView() {
  const all = await api('GET', 'admin/policies');
  const name = h('input', { id: 'policyName', placeholder: 'policy name' });
  const doc = h('textarea', { id: 'policyDocument', spellcheck: 'false' });
  doc.value = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::example/*'] }] }, null, 2);
  const save = h('button', { type: 'button', class: 'primary', onclick: async () => {
    if (await attempt(() => fetchPut(name.value.trim(), doc.value), 'Policy saved')) policiesView();
  } }, 'Save policy');
  const rows = (all.policies || []).map(p => {
    const n = typeof p === 'string' ? p : p.name;
    return h('tr', {}, h('td', {}, h('a', { class: 'link', onclick: () => attempt(async () => {
      const shown = await api('GET', 'admin/policies' + q({ name: n }));
      name.value = n;
      const d = shown.document || shown.policy || shown;
      doc.value = typeof d === 'string' ? d : JSON.stringify(d, null, 2);
    }) }, n)), h('td', {}, p.builtIn ? 'built-in' : ''), 
      h('td', {}, p.builtIn ? '' : h('button', { type: 'button', class: 'danger', onclick: async () => {
        if (confirm('Delete policy ' + n + '?') && await attempt(() => api('DELETE', 'admin/policies' + q({ name: n })), 'Policy deleted')) policiesView();
      } }, 'Delete')));
  });
  mount(h('h1', {}, 'Policies'),
    h('table', { id: 'policies' }, h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, ''), h('th', {}, ''))), h('tbody', {}, rows)),
    h('div', { class: 'card' }, h('h2', {}, 'Create or replace'), h('div', { class: 'row' }, name), doc, h('div', { class: 'row' }, save)));
}

async function fetchPut(name, body) {
  const { csrfHeaders } = await import('./api.js');
  const r = await fetch('/console/api/admin/policies' + q({ name }), { method: 'PUT', body, credentials: 'same-origin',
    headers: Object.assign({ 'Content-Type': 'application/json' }, csrfHeaders()) });
  const j = await r.json().catch(() => ({}));
  if (!r.ok) { const e = new Error(j.message || ('HTTP ' + r.status)); e.code = j.error; throw e; }
  return j;
}

async function clusterView() {
  const info = h('div', { id: 'clusterInfo' });
  const charts = {
    rate: new LineChart('Requests / s', v => v.toFixed(1)),
    errors: new LineChart('Errors / s (4xx, 5xx)', v => v.toFixed(2)),
    latency: new LineChart('Mean latency (ms)', v => v.toFixed(1)),
  };
  mount(h('h1', {}, 'Cluster'), h('div', { class: 'charts' }, charts.rate.canvas, charts.errors.canvas, charts.latency.canvas), info);
  let last = null;
  let alive = true;
  stop = () => { alive = false; };
  const tick = async () => {
    if (!alive || !document.body.contains(info)) return;
    try {
      const m = await api('GET', 'metrics');
      if (last) {
        const dt = Math.max(0.001, (m.timeMillis - last.timeMillis) / 1000);
        const dn = m.requests - last.requests;
        charts.rate.push([dn / dt]);
        charts.errors.push([(m.clientErrors - last.clientErrors) / dt, (m.serverErrors - last.serverErrors) / dt]);
        charts.latency.push([dn > 0 ? 1000 * (m.totalSeconds - last.totalSeconds) / dn : 0]);
      }
      last = m;
    } catch (e) { /* shown by the next info refresh */ }
    setTimeout(tick, 2000);
  };
  const refresh = async () => {
    if (!alive || !document.body.contains(info)) return;
    try { info.replaceChildren(renderInfo(await api('GET', 'admin/info'))); }
    catch (e) { info.replaceChildren(h('p', { class: 'bad' }, e.message)); }
    setTimeout(refresh, 5000);
  };
  tick(); await refresh();
}

function renderInfo(i) {
  const peers = (i.peers || []).map(p => h('tr', { 'data-peer': p.id }, h('td', {}, p.id), h('td', {}, h('span', { class: 'pill ' + p.state }, p.state)),
    h('td', {}, p.zone || ''), h('td', { class: 'num' }, bytes(p.usedBytes)), h('td', { class: 'num' }, bytes(p.freeBytes)),
    h('td', { class: 'num' }, p.chunks ?? ''), h('td', { class: 'num' }, p.records ?? ''), h('td', { class: 'bad' }, p.problem || ''), h('td', { class: 'muted' }, p.url || '')));
  const m = i.maintenance || {};
  return h('div', {},
    h('div', { class: 'card kv' }, h('span', {}, 'version'), h('span', {}, i.version || ''), h('span', {}, 'started'), h('span', {}, when(i.startedAt)),
      h('span', {}, 'uptime'), h('span', {}, Math.floor((i.uptimeSeconds || 0) / 60) + ' min'), h('span', {}, 'layout version'), h('span', { id: 'layoutVersion' }, String(i.layoutVersion ?? ''))),
    h('h2', {}, 'Peers'),
    h('table', { id: 'peers' }, h('thead', {}, h('tr', {}, ['Peer', 'State', 'Zone', 'Used', 'Free', 'Chunks', 'Records', 'Problem', 'URL']
      .map((t, n) => h('th', { class: n >= 3 && n <= 6 ? 'num' : '' }, t)))), h('tbody', {}, peers)),
    h('h2', {}, 'Repair and garbage collection'),
    h('div', { class: 'card kv', id: 'maintenance' }, Object.entries(m).flatMap(([k, v]) => [h('span', {}, k), h('span', {}, typeof v === 'object' ? JSON.stringify(v) : String(v))])));
}
