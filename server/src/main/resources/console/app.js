// The console's shell: session, navigation (hash routes), login and the bucket list.
import { api, setCsrf, s3, xml, val, ApiError } from './api.js';
import { h, mount, toast, bytes, when, attempt } from './ui.js';
import { objectsView } from './objects.js';
import { bucketSettingsView } from './settings.js';
import { adminView } from './admin.js';

export const state = { session: null };

async function start() {
  document.getElementById('logout').addEventListener('click', logout);
  try {
    state.session = await api('GET', 'session');
    setCsrf(state.session.csrfToken);
  } catch (e) {
    state.session = null;
  }
  window.addEventListener('hashchange', route);
  route();
}

async function logout() {
  await attempt(() => api('POST', 'logout'));
  state.session = null;
  setCsrf(null);
  location.hash = '#/login';
  route();
}

/** Called when a call answers 401: the session ended (idle, expired, logged out elsewhere). */
export function sessionEnded() {
  state.session = null;
  setCsrf(null);
  toast('Your session has ended; please log in again.', true);
  location.hash = '#/login';
}

function route() {
  const hash = location.hash || '#/buckets';
  const top = document.getElementById('top');
  if (!state.session) {
    top.hidden = true;
    loginView();
    return;
  }
  top.hidden = false;
  document.getElementById('who').textContent = state.session.user + (state.session.root ? ' (root)' : '');
  const nav = document.getElementById('nav');
  const links = [['#/buckets', 'Buckets']];
  // The admin pages the server says this session may open (root, or a policy granting their admin actions).
  const pages = state.session.adminPages || [];
  for (const [page, label] of [['users', 'Users'], ['policies', 'Policies'], ['cluster', 'Cluster']]) {
    if (pages.includes(page)) links.push(['#/admin/' + page, label]);
  }
  nav.replaceChildren(...links.map(([href, label]) => h('a', { href, class: hash.startsWith(href.replace(/\/[^/]*$/, '')) && hash.startsWith(href) ? 'on' : '' }, label)));
  const parts = hash.slice(2).split('/');
  const run = async () => {
    if (parts[0] === 'b' && parts[1]) {
      const rest = decodeURIComponent(parts.slice(2).join('/'));
      await objectsView(decodeURIComponent(parts[1]), rest);
    } else if (parts[0] === 'settings' && parts[1]) {
      await bucketSettingsView(decodeURIComponent(parts[1]));
    } else if (parts[0] === 'admin') {
      await adminView(parts[1] || (state.session.adminPages || [])[0] || 'users', state.session);
    } else {
      await bucketsView();
    }
  };
  run().catch(e => {
    if (e instanceof ApiError && e.status === 401) { sessionEnded(); return; }
    mount(h('p', { class: 'bad' }, (e.code ? e.code + ': ' : '') + e.message));
  });
}

function loginView() {
  const key = h('input', { id: 'accessKey', autocomplete: 'username', required: true });
  const secret = h('input', { id: 'secret', type: 'password', autocomplete: 'current-password', required: true });
  const msg = h('p', { class: 'bad', id: 'loginError' });
  const form = h('form', { class: 'card login', id: 'login' },
    h('h1', {}, 'MictlanX console'),
    h('label', { for: 'accessKey' }, 'Access key'), key,
    h('label', { for: 'secret' }, 'Secret key'), secret,
    h('div', { class: 'row' }, h('button', { class: 'primary', type: 'submit', id: 'loginButton' }, 'Log in')), msg,
    h('p', { class: 'muted' }, 'The secret is checked by the server and never kept in the browser.'));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    msg.textContent = '';
    try {
      state.session = await api('POST', 'login', { accessKey: key.value.trim(), secret: secret.value });
      secret.value = '';
      setCsrf(state.session.csrfToken);
      // One render: a changed hash renders through its hashchange event (a second direct route() could
      // finish after a later navigation and cover it).
      if (location.hash === '#/buckets') route(); else location.hash = '#/buckets';
    } catch (e) {
      msg.textContent = e.message;
    }
  });
  mount(form);
  key.focus();
}

async function bucketsView() {
  const r = await s3('GET', '', undefined, { 'max-buckets': '1000' });
  const doc = await xml(r);
  const buckets = Array.from(doc.getElementsByTagName('Bucket')).map(b => ({ name: val(b, 'Name'), created: val(b, 'CreationDate') }));
  const name = h('input', { id: 'newBucket', placeholder: 'new-bucket-name', pattern: '[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]' });
  const create = h('form', { class: 'row', id: 'createBucket' }, name, h('button', { class: 'primary', type: 'submit' }, 'Create bucket'));
  create.addEventListener('submit', async ev => {
    ev.preventDefault();
    const n = name.value.trim();
    if (await attempt(() => s3('PUT', n), 'Bucket ' + n + ' created') !== undefined) bucketsView();
  });
  const rows = buckets.map(b => {
    const size = h('td', { class: 'num' }, '…');
    const count = h('td', { class: 'num' }, '…');
    usage(b.name, size, count);
    return h('tr', { 'data-bucket': b.name },
      h('td', {}, h('a', { class: 'link', href: '#/b/' + encodeURIComponent(b.name) + '/' }, b.name)),
      h('td', {}, when(b.created)), size, count,
      h('td', {},
        h('a', { class: 'button', href: '#/settings/' + encodeURIComponent(b.name) }, 'Settings'), ' ',
        h('button', { class: 'danger', type: 'button', onclick: async () => {
          if (!confirm('Delete the empty bucket ' + b.name + '?')) return;
          if (await attempt(() => s3('DELETE', b.name), 'Bucket ' + b.name + ' deleted') !== undefined) bucketsView();
        } }, 'Delete')));
  });
  mount(h('h1', {}, 'Buckets'), create,
    h('table', { id: 'buckets' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Created'), h('th', { class: 'num' }, 'Size'),
        h('th', { class: 'num' }, 'Objects'), h('th', {}, ''))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No buckets yet.')))));
}

async function usage(bucket, sizeCell, countCell) {
  try {
    const u = await api('GET', 'usage?bucket=' + encodeURIComponent(bucket));
    if (u.available) { sizeCell.textContent = bytes(u.bytes); countCell.textContent = String(u.objects); }
    else {
      sizeCell.textContent = 'not available'; countCell.textContent = 'not available';
      sizeCell.title = countCell.title = 'the usage figures cannot be read now';
      sizeCell.className = countCell.className = 'num muted';
    }
  } catch (e) { sizeCell.textContent = countCell.textContent = '—'; }
}

start();
