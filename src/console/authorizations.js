// Posting authorizations: written approval for a specified period naming the platforms, which
// expires by itself; granted, renewed and revoked by the director or the PIO. Staff see their
// own.

import { html, useState } from './html.js';
import { gql } from './api.js';
import { Badge, Loading, Refusal, ScreenHeader, useLoad, when } from './ui.js';
import { screenClause } from './clauses.js';

const LIST = `query($d: String!, $director: Boolean!) {
  authorizations(departmentCode: $d, first: 100) {
    nodes { id status validFrom validUntil approvalReference revokedAt revokeReason renewedFromId
      user { id name email } grantedBy { name } asDesigneeOf { name } platforms { id network handle } }
  }
  expiring: authorizations(departmentCode: $d, expiringWithinDays: 14, first: 1) { totalCount }
  platforms(departmentCode: $d, status: ACTIVE, first: 100) { nodes { id network handle } }
  employees(departmentCode: $d, status: ACTIVE, first: 100) @include(if: $director) { nodes { id name email role } }
}`;
const GRANT = 'mutation($i: GrantAuthorizationInput!) { grantAuthorization(input: $i) { id status } }';
const RENEW = 'mutation($id: ID!, $u: DateTime!, $r: String!) { renewAuthorization(id: $id, validUntil: $u, approvalReference: $r) { id status } }';
const REVOKE = 'mutation($id: ID!, $r: String!) { revokeAuthorization(id: $id, reason: $r) { id status } }';

const day = 86400000;
const iso = (d) => new Date(d).toISOString();
const localInput = (d) => new Date(d - new Date(d).getTimezoneOffset() * 60000).toISOString().slice(0, 16);

export function AuthorizationsScreen({ user, caps, dept }) {
  const grantor = caps.has('GRANT_AUTHORIZATIONS');
  const [data, error, reload] = useLoad(
    () => gql(LIST, { d: dept.code, director: user.role === 'DIRECTOR' }),
    [dept.code],
  );
  return html`<section class="screen">
    <${ScreenHeader} title="Posting authorizations" clause=${screenClause(dept.code, 'authorizations')}>
      ${data && html`<p class="muted">${data.expiring.totalCount} live authorization(s) end within 14 days.</p>`}
    </${ScreenHeader}>
    <${Loading} data=${data} error=${error} />
    ${data &&
    html`<table class="grid" id="authorizations-table">
        <caption>${user.role === 'STAFF' ? 'Your authorizations' : "The department's authorizations"}, newest first</caption>
        <thead><tr><th scope="col">Employee</th><th scope="col">Platforms</th><th scope="col">Period</th><th scope="col">Status</th><th scope="col">Granted</th>${grantor && html`<th scope="col">Actions</th>`}</tr></thead>
        <tbody>
          ${data.authorizations.nodes.length === 0 && html`<tr><td colspan="6" class="muted">None.</td></tr>`}
          ${data.authorizations.nodes.map((a) => html`<${Row} key=${a.id} a=${a} grantor=${grantor} reload=${reload} />`)}
        </tbody>
      </table>
      ${grantor && html`<${Grant} data=${data} reload=${reload} />`}`}
  </section>`;
}

function Row({ a, grantor, reload }) {
  const [text, setText] = useState('');
  const [until, setUntil] = useState(localInput(new Date(a.validUntil).getTime() + 90 * day));
  const [error, setError] = useState(null);
  const run = async (query, vars) => {
    setError(null);
    try {
      await gql(query, { id: a.id, ...vars });
      reload();
    } catch (e) {
      setError(e);
    }
  };
  const live = a.status === 'ACTIVE' || a.status === 'PENDING';
  return html`<tr>
    <td>${a.user ? a.user.name : '?'}<div class="small muted">${a.user ? a.user.email : ''}</div></td>
    <td>${a.platforms.map((p) => html`<div>${p.network} ${p.handle}</div>`)}</td>
    <td>${when(a.validFrom)} – ${when(a.validUntil)}<div class="small muted">ref. ${a.approvalReference}</div></td>
    <td><${Badge} value=${a.status} />${a.revokeReason && html`<div class="small">${a.revokeReason}</div>`}</td>
    <td>${a.grantedBy ? a.grantedBy.name : ''}${a.asDesigneeOf ? ` as designee of ${a.asDesigneeOf.name}` : ''}</td>
    ${grantor &&
    html`<td>
      ${live &&
      html`<label class="small" for=${`auth-text-${a.id}`}>New reference (renew) or reason (revoke)</label>
        <input id=${`auth-text-${a.id}`} value=${text} onInput=${(e) => setText(e.target.value)} />
        <label class="small" for=${`auth-until-${a.id}`}>Renew until</label>
        <input id=${`auth-until-${a.id}`} type="datetime-local" value=${until} onInput=${(e) => setUntil(e.target.value)} />
        <div class="actions">
          <button type="button" disabled=${!text.trim()} onClick=${() => run(RENEW, { u: iso(until), r: text.trim() })}>Renew</button>
          <button type="button" class="action-remove" disabled=${!text.trim()} onClick=${() => run(REVOKE, { r: text.trim() })}>Revoke</button>
        </div>`}
      <${Refusal} error=${error} />
    </td>`}
  </tr>`;
}

function Grant({ data, reload }) {
  const people = data.employees ? data.employees.nodes : [];
  const [userId, setUserId] = useState(people[0] ? people[0].id : '');
  const [platformIds, setPlatformIds] = useState([]);
  const [from, setFrom] = useState(localInput(Date.now()));
  const [until, setUntil] = useState(localInput(Date.now() + 180 * day));
  const [reference, setReference] = useState('');
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);
  const submit = async (ev) => {
    ev.preventDefault();
    setError(null);
    try {
      const input = { userId: userId.trim(), platformIds, validFrom: iso(from), validUntil: iso(until), approvalReference: reference.trim() };
      const d = await gql(GRANT, { i: input });
      setDone(d.grantAuthorization.status);
      reload();
    } catch (e) {
      setError(e);
    }
  };
  const toggle = (id, on) => setPlatformIds(on ? [...platformIds, id] : platformIds.filter((x) => x !== id));
  return html`<form class="panel grant" onSubmit=${submit} aria-labelledby="grant-title">
    <h2 id="grant-title">Grant a written authorization</h2>
    ${people.length
      ? html`<label for="grant-user">Employee</label>
          <select id="grant-user" value=${userId} onChange=${(e) => setUserId(e.target.value)}>
            ${people.map((u) => html`<option value=${u.id}>${u.name} (${u.role}, ${u.email})</option>`)}
          </select>`
      : html`<label for="grant-user">Employee ID (only the director can list employees)</label>
          <input id="grant-user" value=${userId} onInput=${(e) => setUserId(e.target.value)} />`}
    <fieldset>
      <legend>Platforms it covers (active ones)</legend>
      ${data.platforms.nodes.length === 0 && html`<p class="muted small">No active platform.</p>`}
      ${data.platforms.nodes.map(
        (p) => html`<label class="rule-option"><input type="checkbox" checked=${platformIds.includes(p.id)} onChange=${(e) => toggle(p.id, e.target.checked)} /> ${p.network} ${p.handle}</label>`,
      )}
    </fieldset>
    <label for="grant-from">Valid from</label>
    <input id="grant-from" type="datetime-local" value=${from} onInput=${(e) => setFrom(e.target.value)} />
    <label for="grant-until">Valid until (it stops at this instant)</label>
    <input id="grant-until" type="datetime-local" value=${until} onInput=${(e) => setUntil(e.target.value)} />
    <label for="grant-reference">Reference of the written approval</label>
    <input id="grant-reference" value=${reference} onInput=${(e) => setReference(e.target.value)} />
    <div class="actions"><button type="submit" class="primary">Grant</button></div>
    <${Refusal} error=${error} />
    ${done && html`<p role="status">Granted: <${Badge} value=${done} /></p>`}
  </form>`;
}
