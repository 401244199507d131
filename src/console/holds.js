// Legal holds and the e-discovery export: holds in force block purging and editing of what
// they cover; the export streams everything of the department (or of a hold's scope) as
// NDJSON with a manifest of hashes. Directors place and release holds.

import { html, useState } from './html.js';
import { currentSession, gql } from './api.js';
import { Badge, Loading, Refusal, useLoad, when } from './ui.js';

const HOLDS = `query($d: String!) { legalHolds(departmentCode: $d) { id name matter platformIds userIds from to placedAt releasedAt placedBy { name } } }`;
const PLACE = 'mutation($i: PlaceLegalHoldInput!) { placeLegalHold(input: $i) { id } }';
const RELEASE = 'mutation($id: ID!) { releaseLegalHold(id: $id) { id releasedAt } }';

/** Downloads the export (of a hold's scope, if given) with the bearer token. */
async function download(dept, holdId) {
  const s = currentSession();
  const q = holdId ? `?holdId=${encodeURIComponent(holdId)}` : '';
  let resp;
  try {
    resp = await fetch(`/export/${encodeURIComponent(dept.code)}${q}`, {
      headers: { authorization: `Bearer ${s ? s.accessToken : ''}` },
    });
  } catch (e) {
    return { message: 'the export could not be downloaded', code: 'NETWORK' };
  }
  if (!resp.ok) {
    const body = await resp.json().catch(() => ({}));
    const e = (body.errors && body.errors[0]) || { message: `export failed (${resp.status})` };
    return { message: e.message, code: (e.extensions || {}).code || 'HTTP', extensions: e.extensions || {} };
  }
  const url = URL.createObjectURL(await resp.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `${dept.code}-export${holdId ? '-hold' : ''}.ndjson`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return null;
}

export function Holds({ dept, user }) {
  const [data, error, reload] = useLoad(() => gql(HOLDS, { d: dept.code }), [dept.code]);
  const [failure, setFailure] = useState(null);
  const director = user.role === 'DIRECTOR';
  const run = async (fn) => {
    setFailure(null);
    setFailure(await fn());
  };
  const release = (id) =>
    run(async () => {
      try {
        await gql(RELEASE, { id });
        reload();
        return null;
      } catch (e) {
        return e;
      }
    });
  return html`<div>
    <p>
      <button type="button" id="export-all" onClick=${() => run(() => download(dept, null))}>Download the whole export (NDJSON with a manifest of hashes)</button>
    </p>
    <${Refusal} error=${failure} />
    <${Loading} data=${data} error=${error} />
    ${data &&
    html`<table class="grid" id="holds-table">
      <caption>Legal holds: records in scope are neither purged nor edited</caption>
      <thead><tr><th scope="col">Name</th><th scope="col">Matter</th><th scope="col">Scope</th><th scope="col">Placed</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
      <tbody>
        ${data.legalHolds.length === 0 && html`<tr><td colspan="6" class="muted">No holds.</td></tr>`}
        ${data.legalHolds.map(
          (h) => html`<tr>
            <td>${h.name}</td><td>${h.matter}</td>
            <td>${h.platformIds.length || 'all'} platform(s), ${h.userIds.length || 'all'} employee(s)${h.from ? `, from ${when(h.from)}` : ''}${h.to ? ` to ${when(h.to)}` : ''}</td>
            <td>${when(h.placedAt)} ${h.placedBy ? `by ${h.placedBy.name}` : ''}</td>
            <td><${Badge} value=${h.releasedAt ? 'RELEASED' : 'ACTIVE'} /></td>
            <td class="actions">
              <button type="button" onClick=${() => run(() => download(dept, h.id))}>Export scope</button>
              ${director && !h.releasedAt && html`<button type="button" class="action-remove" onClick=${() => release(h.id)}>Release</button>`}
            </td>
          </tr>`,
        )}
      </tbody>
    </table>`}
    ${director && html`<${PlaceHold} reload=${reload} />`}
  </div>`;
}

function PlaceHold({ reload }) {
  const [name, setName] = useState('');
  const [matter, setMatter] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [error, setError] = useState(null);
  const submit = async (ev) => {
    ev.preventDefault();
    setError(null);
    const at = (v) => (v ? new Date(v).toISOString() : null);
    try {
      await gql(PLACE, { i: { name: name.trim(), matter: matter.trim(), scope: { from: at(from), to: at(to) } } });
      setName('');
      setMatter('');
      reload();
    } catch (e) {
      setError(e);
    }
  };
  return html`<form class="panel grant" onSubmit=${submit} aria-labelledby="hold-title">
    <h2 id="hold-title">Place a hold (every platform and employee of the period)</h2>
    <label for="hold-name">Name</label>
    <input id="hold-name" value=${name} onInput=${(e) => setName(e.target.value)} />
    <label for="hold-matter">Legal matter (case number, request)</label>
    <input id="hold-matter" value=${matter} onInput=${(e) => setMatter(e.target.value)} />
    <label for="hold-from">From (empty: from the start)</label>
    <input id="hold-from" type="datetime-local" value=${from} onInput=${(e) => setFrom(e.target.value)} />
    <label for="hold-to">To (empty: open-ended)</label>
    <input id="hold-to" type="datetime-local" value=${to} onInput=${(e) => setTo(e.target.value)} />
    <div class="actions"><button type="submit" class="primary" disabled=${!name.trim() || !matter.trim()}>Place the hold</button></div>
    <${Refusal} error=${error} />
  </form>`;
}
