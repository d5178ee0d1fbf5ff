// Tiny DOM helpers: elements are built with textContent only (never innerHTML with data).

export function h(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export function mount(...nodes) {
  const main = document.getElementById('main');
  main.replaceChildren(...nodes);
  return main;
}

export function toast(message, bad) {
  const t = h('div', { class: bad ? 'bad' : '' }, message);
  document.getElementById('toast').append(t);
  setTimeout(() => t.remove(), bad ? 8000 : 4000);
}

export function bytes(n) {
  if (n === undefined || n === null || isNaN(n)) return '';
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0; let v = Number(n);
  while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
  return (i === 0 ? v : v.toFixed(1)) + ' ' + u[i];
}

export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** Runs an async action, showing its error as a toast; returns its result or undefined. */
export async function attempt(fn, okMessage) {
  try { const r = await fn(); if (okMessage) toast(okMessage); return r; }
  catch (e) { toast((e.code ? e.code + ': ' : '') + e.message, true); return undefined; }
}
