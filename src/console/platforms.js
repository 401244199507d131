// Official platforms: the lifecycle (proposed, approved, active, suspended, retired), the
// compliance checklist that must be complete before a platform goes live, the PIO's
// acceptance of the terms of service, a proposal form with the department's permitted
// purposes, and, for moderators, a comment fed in by hand as a platform's connector would.

import { html, useState } from './html.js';
import { gql } from './api.js';
import { Badge, Loading, Refusal, ScreenHeader, useLoad, when } from './ui.js';
import { screenClause } from './clauses.js';

const LIST = `query($d: String!) {
  department(code: $d) { website websiteUrl logoUrl contact }
  platformPurposes(departmentCode: $d) { code title clause }
  platforms(departmentCode: $d, first: 100) {
    nodes { id status statusReason network handle url version createdAt proposedBy { name }
      termsAcceptance { acceptedAt termsVersion acceptedBy { name } }
      complianceChecklist { element met clause } missingApprovals }
  }
}`;
const NETWORKS = ['FACEBOOK', 'INSTAGRAM', 'LINKEDIN', 'X', 'YOUTUBE', 'REDDIT', 'TUMBLR', 'WHATSAPP', 'OTHER'];
const M = {
  propose: 'mutation($i: ProposePlatformInput!) { proposePlatform(input: $i) { id status } }',
  terms: 'mutation($id: ID!, $u: String!, $v: String!) { acceptPlatformTerms(id: $id, termsUrl: $u, termsVersion: $v) { id } }',
  activate: 'mutation($id: ID!) { activatePlatform(id: $id) { id status } }',
  suspend: 'mutation($id: ID!, $r: String!) { suspendPlatform(id: $id, reason: $r) { id status } }',
  retire: 'mutation($id: ID!, $r: String!) { retirePlatform(id: $id, reason: $r) { id status } }',
  ingest: 'mutation($i: IngestCommentInput!) { ingestComment(input: $i) { id status verdict } }',
};

export function PlatformsScreen({ user, caps, dept }) {
  const [data, error, reload] = useLoad(() => gql(LIST, { d: dept.code }), [dept.code]);
  return html`<section class="screen">
    <${ScreenHeader} title="Platforms" clause=${screenClause(dept.code, 'platforms')} />
    <${Loading} data=${data} error=${error} />
    ${data &&
    html`<table class="grid" id="platforms-table">
        <caption>The department's official platforms, oldest first</caption>
        <thead><tr><th scope="col">Platform</th><th scope="col">Status</th><th scope="col">Checklist</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          ${data.platforms.nodes.map((p) => html`<${Row} key=${p.id} p=${p} user=${user} caps=${caps} reload=${reload} />`)}
        </tbody>
      </table>
      <${Propose} dept=${dept} info=${data.department} purposes=${data.platformPurposes} reload=${reload} />`}
  </section>`;
}

function Row({ p, user, caps, reload }) {
  const [text, setText] = useState('');
  const [error, setError] = useState(null);
  const [note, setNote] = useState(null);
  const moderator = user.role !== 'STAFF';
  const run = async (query, vars, after) => {
    setError(null);
    setNote(null);
    try {
      const d = await gql(query, { id: p.id, ...vars });
      setText('');
      if (after) setNote(after(d));
      reload();
    } catch (e) {
      setError(e);
    }
  };
  const unmet = p.complianceChecklist.filter((c) => !c.met);
  const reasonField = `platform-text-${p.id}`;
  return html`<tr data-id=${p.id}>
    <td><strong>${p.network}</strong> ${p.handle}<div class="small muted">v${p.version} · proposed ${when(p.createdAt)}${p.proposedBy ? ` by ${p.proposedBy.name}` : ''}</div></td>
    <td><${Badge} value=${p.status} />${p.statusReason && html`<div class="small">${p.statusReason}</div>`}
      ${p.missingApprovals.length > 0 && html`<div class="small">Seats open: ${p.missingApprovals.join(', ')}</div>`}</td>
    <td>${unmet.length === 0
      ? html`<span class="met">complete</span>`
      : html`<ul class="checklist small">${unmet.map((c) => html`<li class="unmet">${c.element} <span class="clause">${c.clause}</span></li>`)}</ul>`}
      ${p.termsAcceptance && html`<div class="small">Terms ${p.termsAcceptance.termsVersion} accepted ${when(p.termsAcceptance.acceptedAt)}</div>`}</td>
    <td>
      ${moderator && p.status !== 'RETIRED' && p.status !== 'REJECTED' && p.status !== 'PROPOSED' &&
      html`<label for=${reasonField} class="small">Reason (suspend, retire) or a comment's text (feed)</label>
        <input id=${reasonField} value=${text} onInput=${(e) => setText(e.target.value)} />
        <div class="actions">
          ${(p.status === 'APPROVED' || p.status === 'SUSPENDED') && html`
            <button type="button" class="primary activate" onClick=${() => run(M.activate, {})}>Activate</button>`}
          ${p.status === 'ACTIVE' && html`
            ${caps.has('MODERATE_COMMENTS') && html`<button type="button" class="feed" onClick=${() => run(M.ingest, { i: ingestInput(p, text) }, (d) => `Comment ingested: ${d.ingestComment.status}, ${d.ingestComment.verdict}`)} disabled=${!text.trim()}>Feed a comment</button>`}
            <button type="button" onClick=${() => run(M.suspend, { r: text.trim() })} disabled=${!text.trim()}>Suspend</button>`}
          <button type="button" class="action-remove" onClick=${() => run(M.retire, { r: text.trim() })} disabled=${!text.trim()}>Retire</button>
        </div>`}
      ${moderator && !p.termsAcceptance && (p.status === 'APPROVED' || p.status === 'SUSPENDED') &&
      html`<${Terms} p=${p} run=${run} />`}
      ${note && html`<p class="small" role="status">${note}</p>`}
      <${Refusal} error=${error} />
    </td>
  </tr>`;
}

function Terms({ p, run }) {
  const [url, setUrl] = useState('');
  const [version, setVersion] = useState('');
  return html`<details class="small">
    <summary>Accept the terms of service (PIO)</summary>
    <label for=${`terms-url-${p.id}`}>Where the terms are published</label>
    <input id=${`terms-url-${p.id}`} type="url" value=${url} onInput=${(e) => setUrl(e.target.value)} />
    <label for=${`terms-version-${p.id}`}>Version of the terms</label>
    <input id=${`terms-version-${p.id}`} value=${version} onInput=${(e) => setVersion(e.target.value)} />
    <div class="actions">
      <button type="button" class="accept-terms" disabled=${!url.trim() || !version.trim()} onClick=${() => run(M.terms, { u: url.trim(), v: version.trim() })}>Record acceptance</button>
    </div>
  </details>`;
}

function ingestInput(p, body) {
  const id = `console-${Date.now()}`;
  return { platformId: p.id, externalId: id, authorHandle: '@console-test', body: body.trim() };
}

function Propose({ dept, info, purposes, reload }) {
  const site = info.websiteUrl || '';
  const [f, setF] = useState({
    network: 'FACEBOOK', handle: '', url: '', purposes: [], purposeStatement: '', scopeStatement: '',
    websiteLink: site, maintainedByStatement: 'This page is maintained by the Department of Corrections.',
    logoUrl: info.logoUrl || '', contactInfo: info.contact || '',
  });
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);
  const set = (k) => (e) => setF({ ...f, [k]: e.target.value });
  const toggle = (code, on) => setF({ ...f, purposes: on ? [...f.purposes, code] : f.purposes.filter((c) => c !== code) });
  const submit = async (ev) => {
    ev.preventDefault();
    setError(null);
    try {
      const d = await gql(M.propose, { i: { departmentCode: dept.code, ...f } });
      setDone(d.proposePlatform.status);
      reload();
    } catch (e) {
      setError(e);
    }
  };
  const text = (k, label) => html`<label for=${`propose-${k}`}>${label}</label>
    <input id=${`propose-${k}`} value=${f[k]} onInput=${set(k)} />`;
  return html`<form class="panel propose" onSubmit=${submit} aria-labelledby="propose-title">
    <h2 id="propose-title">Propose a platform</h2>
    <label for="propose-network">Network</label>
    <select id="propose-network" value=${f.network} onChange=${set('network')}>
      ${NETWORKS.map((n) => html`<option value=${n}>${n}</option>`)}
    </select>
    ${text('handle', 'Handle')} ${text('url', 'Page URL')}
    <fieldset>
      <legend>Purposes the department permits</legend>
      ${purposes.map(
        (p) => html`<label class="rule-option"><input type="checkbox" checked=${f.purposes.includes(p.code)} onChange=${(e) => toggle(p.code, e.target.checked)} />
          ${p.title} <span class="clause">${p.clause}</span></label>`,
      )}
    </fieldset>
    ${text('purposeStatement', 'Statement of purpose')} ${text('scopeStatement', 'Statement of scope')}
    ${text('websiteLink', 'Link to the official website')} ${text('maintainedByStatement', 'Maintained-by statement')}
    ${text('logoUrl', 'Logo URL')} ${text('contactInfo', 'Contact information')}
    <div class="actions"><button type="submit" class="primary">Propose</button></div>
    <${Refusal} error=${error} />
    ${done && html`<p role="status">Proposed: <${Badge} value=${done} /> It now waits in the approvers' inbox.</p>`}
  </form>`;
}
