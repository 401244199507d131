// Records: the audit log with its chain verified, legal holds, the e-discovery export,
// facility reviews due or overdue, and who has not acknowledged the directive.

import { html, useState } from './html.js';
import { gql } from './api.js';
import { Holds } from './holds.js';
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
const REVIEWS = `query($d: String!) { facilityReviews(departmentCode: $d) { dueOn status facility { id name kind } lastReview { reviewedOn findings reviewer { name } } } }`;
const RECORD_REVIEW = 'mutation($i: RecordFacilityReviewInput!) { recordFacilityReview(input: $i) { id } }';
const UNACK = `query($d: String!) { unacknowledgedEmployees(departmentCode: $d) { id name email role } }`;

const TABS = [
  ['audit', 'Audit log'],
  ['holds', 'Legal holds & export'],
  ['reviews', 'Facility reviews'],
  ['acks', 'Acknowledgements'],
];

export function RecordsScreen({ user, dept }) {
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
    ${tab === 'holds' && html`<${Holds} dept=${dept} user=${user} />`}
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

function Reviews({ dept }) {
  const [data, error, reload] = useLoad(() => gql(REVIEWS, { d: dept.code }), [dept.code]);
  if (!data) return html`<${Loading} data=${data} error=${error} />`;
  const order = { OVERDUE: 0, DUE: 1, CURRENT: 2 };
  const rows = [...data.facilityReviews].sort((a, b) => order[a.status] - order[b.status]);
  return html`<table class="grid" id="reviews-table">
    <caption>Annual reviews, overdue first</caption>
    <thead><tr><th scope="col">Facility</th><th scope="col">Kind</th><th scope="col">Due</th><th scope="col">Status</th><th scope="col">Last review</th><th scope="col">Record a review</th></tr></thead>
    <tbody>
      ${rows.map(
        (r) => html`<tr>
          <td>${r.facility.name}</td><td>${r.facility.kind}</td><td>${r.dueOn}</td>
          <td><${Badge} value=${r.status} /></td>
          <td>${r.lastReview ? `${r.lastReview.reviewedOn} by ${r.lastReview.reviewer ? r.lastReview.reviewer.name : '?'}: ${r.lastReview.findings}` : 'never'}</td>
          <td><${RecordReview} facility=${r.facility} reload=${reload} /></td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

function RecordReview({ facility, reload }) {
  const [on, setOn] = useState(new Date().toISOString().slice(0, 10));
  const [findings, setFindings] = useState('');
  const [error, setError] = useState(null);
  const submit = async () => {
    setError(null);
    try {
      await gql(RECORD_REVIEW, { i: { facilityId: facility.id, reviewedOn: on, findings: findings.trim() } });
      setFindings('');
      reload();
    } catch (e) {
      setError(e);
    }
  };
  return html`<details class="small">
    <summary>Record</summary>
    <label for=${`review-on-${facility.id}`}>Date</label>
    <input id=${`review-on-${facility.id}`} type="date" value=${on} onInput=${(e) => setOn(e.target.value)} />
    <label for=${`review-findings-${facility.id}`}>Findings</label>
    <input id=${`review-findings-${facility.id}`} value=${findings} onInput=${(e) => setFindings(e.target.value)} />
    <div class="actions"><button type="button" disabled=${!findings.trim()} onClick=${submit}>Record review</button></div>
    <${Refusal} error=${error} />
  </details>`;
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
