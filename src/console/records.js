// Records: the audit log with its chain verified, legal holds, the e-discovery export,
// facility reviews due or overdue, and who has not acknowledged the directive.

import { html, useState } from './html.js';
import { currentSession, gql } from './api.js';
import { Badge, Loading, Refusal, ScreenHeader, useLoad, when } from './ui.js';
import { screenClause } from './clauses.js';

const AUDIT = `query($d: String!, $after: String) {
  verifyAuditLog(departmentCode: $d) { ok checked firstBrokenId reason headHash }
  auditLog(departmentCode: $d, first: 50, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id seq action outcome occurredAt subjectType subjectId detail hash
      actor { name email } onBehalfOf { name } }
  }
}`;
const HOLDS = `query($d: String!) { legalHolds(departmentCode: $d) { id name matter platformIds userIds from to placedAt releasedAt placedBy { name } } }`;
const REVIEWS = `query($d: String!) { facilityReviews(departmentCode: $d) { dueOn status facility { id name kind } lastReview { reviewedOn findings reviewer { name } } } }`;
const UNACK = `query($d: String!) { unacknowledgedEmployees(departmentCode: $d) { id name email role } }`;

const TABS = [
  ['audit', 'Audit log'],
  ['holds', 'Legal holds & export'],
  ['reviews', 'Facility reviews'],
  ['acks', 'Acknowledgements'],
];

export function RecordsScreen({ dept }) {
  const [tab, setTab] = useState('audit');
  return html`<section class="screen">
    <${ScreenHeader} title="Records" clause=${screenClause(dept.code, 'records')}>
      <div class="tabs" role="group" aria-label="Records">
        ${TABS.map(
          ([id, title]) => html`<button type="button" id=${`tab-${id}`} aria-pressed=${tab === id} onClick=${() => setTab(id)}>${title}</button>`,
        )}
      </div>
    </${ScreenHeader}>
    ${tab === 'audit' && html`<${AuditLog} dept=${dept} />`}
    ${tab === 'holds' && html`<${Holds} dept=${dept} />`}
    ${tab === 'reviews' && html`<${Reviews} dept=${dept} />`}
    ${tab === 'acks' && html`<${Unacknowledged} dept=${dept} />`}
  </section>`;
}

function AuditLog({ dept }) {
  const [pages, setPages] = useState([]);
  const [data, error] = useLoad(() => gql(AUDIT, { d: dept.code, after: null }), [dept.code]);
  const [more, setMore] = useState(null);
  if (!data) return html`<${Loading} data=${data} error=${error} />`;
  const v = data.verifyAuditLog;
  const rows = [data.auditLog, ...pages].flatMap((p) => p.nodes);
  const last = pages.length ? pages[pages.length - 1] : data.auditLog;
  const loadMore = async () => {
    try {
      const d = await gql(AUDIT, { d: dept.code, after: last.pageInfo.endCursor });
      setPages([...pages, d.auditLog]);
    } catch (e) {
      setMore(e);
    }
  };
  return html`<div>
    <div class=${`verification ${v.ok ? 'ok' : 'broken'}`} role="status" id="chain-status">
      <strong>${v.ok ? 'Chain verified' : 'Chain broken'}</strong>
      · ${v.checked} events checked · head <code title=${v.headHash}>${v.headHash.slice(0, 16)}…</code>
      ${!v.ok && html` · first broken event <code>${v.firstBrokenId}</code>: ${v.reason}`}
    </div>
    <table class="grid" id="audit-table">
      <caption>${data.auditLog.totalCount} events, newest first</caption>
      <thead><tr><th scope="col">#</th><th scope="col">When</th><th scope="col">Action</th><th scope="col">Outcome</th><th scope="col">Actor</th><th scope="col">Subject</th><th scope="col">Detail</th></tr></thead>
      <tbody>
        ${rows.map(
          (e) => html`<tr data-action=${e.action}>
            <td>${e.seq}</td>
            <td><time datetime=${e.occurredAt}>${when(e.occurredAt)}</time></td>
            <td><code>${e.action}</code></td>
            <td><${Badge} value=${e.outcome} /></td>
            <td>${e.actor ? e.actor.name : 'system'}${e.onBehalfOf ? ` as designee of ${e.onBehalfOf.name}` : ''}</td>
            <td>${e.subjectType || ''} ${e.subjectId || ''}</td>
            <td><details><summary>detail</summary><pre>${pretty(e.detail)}</pre><p class="small">hash <code>${e.hash}</code></p></details></td>
          </tr>`,
        )}
      </tbody>
    </table>
    ${last.pageInfo.hasNextPage && html`<button type="button" onClick=${loadMore}>Older events</button>`}
    <${Refusal} error=${more} />
  </div>`;
}

function pretty(detail) {
  try {
    return JSON.stringify(JSON.parse(detail), null, 2);
  } catch (e) {
    return detail;
  }
}

function Holds({ dept }) {
  const [data, error] = useLoad(() => gql(HOLDS, { d: dept.code }), [dept.code]);
  const [failure, setFailure] = useState(null);
  const download = async (holdId) => {
    setFailure(null);
    const s = currentSession();
    const q = holdId ? `?holdId=${encodeURIComponent(holdId)}` : '';
    try {
      const resp = await fetch(`/export/${encodeURIComponent(dept.code)}${q}`, {
        headers: { authorization: `Bearer ${s ? s.accessToken : ''}` },
      });
      if (!resp.ok) {
        const body = await resp.json().catch(() => ({}));
        const e = (body.errors && body.errors[0]) || { message: `export failed (${resp.status})`, extensions: {} };
        setFailure({ message: e.message, code: (e.extensions || {}).code || 'HTTP', extensions: e.extensions || {} });
        return;
      }
      const url = URL.createObjectURL(await resp.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = `${dept.code}-export${holdId ? '-hold' : ''}.ndjson`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (e) {
      setFailure({ message: 'the export could not be downloaded', code: 'NETWORK' });
    }
  };
  return html`<div>
    <p>
      <button type="button" onClick=${() => download(null)}>Download the whole export (NDJSON with a manifest of hashes)</button>
    </p>
    <${Refusal} error=${failure} />
    <${Loading} data=${data} error=${error} />
    ${data &&
    html`<table class="grid">
      <caption>Legal holds: records in scope are neither purged nor edited</caption>
      <thead><tr><th scope="col">Name</th><th scope="col">Matter</th><th scope="col">Scope</th><th scope="col">Placed</th><th scope="col">Status</th><th scope="col">Export</th></tr></thead>
      <tbody>
        ${data.legalHolds.length === 0 && html`<tr><td colspan="6" class="muted">No holds.</td></tr>`}
        ${data.legalHolds.map(
          (h) => html`<tr>
            <td>${h.name}</td><td>${h.matter}</td>
            <td>${h.platformIds.length || 'all'} platform(s), ${h.userIds.length || 'all'} employee(s)${h.from ? `, from ${when(h.from)}` : ''}${h.to ? ` to ${when(h.to)}` : ''}</td>
            <td>${when(h.placedAt)} ${h.placedBy ? `by ${h.placedBy.name}` : ''}</td>
            <td><${Badge} value=${h.releasedAt ? 'RELEASED' : 'ACTIVE'} /></td>
            <td><button type="button" onClick=${() => download(h.id)}>Export scope</button></td>
          </tr>`,
        )}
      </tbody>
    </table>`}
  </div>`;
}

function Reviews({ dept }) {
  const [data, error] = useLoad(() => gql(REVIEWS, { d: dept.code }), [dept.code]);
  if (!data) return html`<${Loading} data=${data} error=${error} />`;
  const order = { OVERDUE: 0, DUE: 1, CURRENT: 2 };
  const rows = [...data.facilityReviews].sort((a, b) => order[a.status] - order[b.status]);
  return html`<table class="grid">
    <caption>Annual reviews, overdue first</caption>
    <thead><tr><th scope="col">Facility</th><th scope="col">Kind</th><th scope="col">Due</th><th scope="col">Status</th><th scope="col">Last review</th></tr></thead>
    <tbody>
      ${rows.map(
        (r) => html`<tr>
          <td>${r.facility.name}</td><td>${r.facility.kind}</td><td>${r.dueOn}</td>
          <td><${Badge} value=${r.status} /></td>
          <td>${r.lastReview ? `${r.lastReview.reviewedOn} by ${r.lastReview.reviewer ? r.lastReview.reviewer.name : '?'}: ${r.lastReview.findings}` : 'never'}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

function Unacknowledged({ dept }) {
  const [data, error] = useLoad(() => gql(UNACK, { d: dept.code }), [dept.code]);
  if (!data) return html`<${Loading} data=${data} error=${error} />`;
  const list = data.unacknowledgedEmployees;
  return html`<div>
    <p>${list.length === 0 ? 'Every active employee has acknowledged the directive in force.' : `${list.length} active employee(s) have not acknowledged the directive in force:`}</p>
    <ul>${list.map((u) => html`<li>${u.name} <span class="muted">${u.email}</span> <span class="badge">${u.role}</span></li>`)}</ul>
  </div>`;
}
