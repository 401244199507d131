// The approvals inbox: platforms, change requests and posts waiting for a seat the signed-in
// person can fill, with the quorum's seats, the compliance checklist (each unmet element with
// its clause) and approve / reject with a reason.

import { html, useState } from './html.js';
import { gql } from './api.js';
import { FindingList, Highlighted } from './highlight.js';
import { Badge, Loading, Refusal, ScreenHeader, useLoad, when } from './ui.js';
import { screenClause } from './clauses.js';

const APPROVAL = 'role seat note at approver { name } asDesigneeOf { name }';
const INBOX = `query($d: String!, $posts: Boolean!) {
  me { id }
  pendingApprovals(departmentCode: $d) {
    kind subjectId title submittedAt missing submittedBy { name } asDesigneeOf { name }
    subject {
      ... on Platform { id status network handle url purposeStatement scopeStatement websiteLink
        maintainedByStatement logoUrl contactInfo purposeDetails { code title clause }
        complianceChecklist { element met clause } approvals { ${APPROVAL} } missingApprovals }
      ... on PlatformChangeRequest { id status changes summary baseVersion
        platform { network handle } approvals { ${APPROVAL} } }
    }
  }
  posts(departmentCode: $d, status: SUBMITTED, first: 50) @include(if: $posts) {
    nodes { id body version verdict submittedAt author { id name } platform { network handle }
      findings { rule severity clause message start end excerpt source score } approvals { ${APPROVAL} } }
  }
}`;

const DECIDE = {
  PLATFORM: {
    approve: 'mutation($id: ID!, $t: String) { approvePlatform(id: $id, note: $t) { id status } }',
    reject: 'mutation($id: ID!, $t: String!) { rejectPlatform(id: $id, reason: $t) { id status } }',
  },
  PLATFORM_CHANGE: {
    approve: 'mutation($id: ID!, $t: String) { approvePlatformChange(id: $id, note: $t) { id status } }',
    reject: 'mutation($id: ID!, $t: String!) { rejectPlatformChange(id: $id, reason: $t) { id status } }',
  },
  POST: {
    approve: 'mutation($id: ID!, $t: String) { approvePost(id: $id, note: $t) { id status } }',
    reject: 'mutation($id: ID!, $t: String!) { rejectPost(id: $id, reason: $t) { id status } }',
  },
};

const ELEMENT = {
  PURPOSE_SCOPE_STATEMENT: 'Purpose and scope statement',
  WEBSITE_LINK: 'Link to the official website',
  MAINTAINED_BY_STATEMENT: 'Maintained-by statement',
  LOGO: 'Department logo',
  CONTACT_INFO: 'Contact information',
  TERMS_ACCEPTED: 'Terms of service accepted by the PIO',
  QUORUM_APPROVAL: 'Approval quorum complete',
};

export function ApprovalsScreen({ caps, dept }) {
  const posts = caps.has('APPROVE_POSTS');
  const [data, error, reload] = useLoad(() => gql(INBOX, { d: dept.code, posts }), [dept.code, posts]);
  if (!data) {
    return html`<section class="screen">
      <${ScreenHeader} title="Approvals" clause=${screenClause(dept.code, 'approvals')} />
      <${Loading} data=${data} error=${error} />
    </section>`;
  }
  const waiting = data.posts ? data.posts.nodes : [];
  const count = data.pendingApprovals.length + waiting.length;
  return html`<section class="screen">
    <${ScreenHeader} title="Approvals" clause=${screenClause(dept.code, 'approvals')}>
      <p class="muted" id="inbox-count">${count === 0 ? 'Nothing waits for you.' : `${count} waiting for you, oldest first.`}</p>
    </${ScreenHeader}>
    <div class="cards" id="inbox">
      ${data.pendingApprovals.map(
        (p) => html`<${Item} key=${p.subjectId} kind=${p.kind} id=${p.subjectId} title=${p.title} meta=${p} onDone=${reload}>
          ${p.kind === 'PLATFORM' ? html`<${PlatformDetail} p=${p.subject} />` : html`<${ChangeDetail} c=${p.subject} />`}
        </${Item}>`,
      )}
      ${waiting.map(
        (post) => html`<${Item}
          key=${post.id}
          kind="POST"
          id=${post.id}
          title=${`Post for ${post.platform ? `${post.platform.network} ${post.platform.handle}` : 'a platform'} by ${post.author ? post.author.name : '?'}`}
          meta=${{ submittedAt: post.submittedAt, missing: [], own: post.author && post.author.id === data.me.id }}
          onDone=${reload}
        >
          <${Highlighted} text=${post.body} findings=${post.findings} />
          <p>Verdict: <${Badge} value=${post.verdict || 'CLEAR'} /> · version ${post.version}</p>
          <${FindingList} findings=${post.findings} />
        </${Item}>`,
      )}
    </div>
  </section>`;
}

function Seats({ approvals, missing }) {
  return html`<div class="seats">
    <h3>Quorum</h3>
    <ul>
      ${approvals.map(
        (a) => html`<li>Seat ${a.seat + 1} (${a.role}): ${a.approver ? a.approver.name : '?'}${a.asDesigneeOf ? ` as designee of ${a.asDesigneeOf.name}` : ''} · ${when(a.at)}${a.note ? ` · “${a.note}”` : ''}</li>`,
      )}
      ${(missing || []).map((m) => html`<li class="unmet">Open seat: ${m}</li>`)}
    </ul>
  </div>`;
}

function PlatformDetail({ p }) {
  if (!p) return null;
  return html`<div class="detail-grid">
    <div>
    <p><a href=${p.url} rel="noreferrer noopener" target="_blank">${p.url}</a> · <${Badge} value=${p.status} /></p>
    <p>${p.purposeStatement} ${p.scopeStatement}</p>
    <ul class="small">
      ${p.purposeDetails.map((x) => html`<li>${x.title} <span class="clause">${x.clause}</span></li>`)}
    </ul>
    </div>
    <div>
    <h3>Compliance checklist</h3>
    <ul class="checklist">
      ${p.complianceChecklist.map(
        (c) => html`<li class=${c.met ? 'met' : 'unmet'} data-element=${c.element}>
          ${ELEMENT[c.element] || c.element}${c.met ? '' : ' (not met)'} <span class="clause">${c.clause}</span>
        </li>`,
      )}
    </ul>
    </div>
    <${Seats} approvals=${p.approvals} missing=${p.missingApprovals} />
  </div>`;
}

function ChangeDetail({ c }) {
  if (!c) return null;
  let changes = c.changes;
  try {
    changes = JSON.stringify(JSON.parse(c.changes), null, 2);
  } catch (e) {
    // Shown as sent.
  }
  return html`<div>
    <p>${c.platform ? `${c.platform.network} ${c.platform.handle}` : ''} · against version ${c.baseVersion}</p>
    <p>${c.summary}</p>
    <pre>${changes}</pre>
    <${Seats} approvals=${c.approvals} missing=${[]} />
  </div>`;
}

function Item({ kind, id, title, meta, onDone, children }) {
  const [text, setText] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const run = async (which) => {
    if (which === 'reject' && !text.trim()) {
      setError({ message: 'a rejection needs a reason', code: 'BAD_USER_INPUT' });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await gql(DECIDE[kind][which], { id, t: text.trim() || null });
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  const field = `reason-${id}`;
  return html`<article class="panel inbox-item" data-kind=${kind} data-id=${id} aria-labelledby=${`title-${id}`}>
    <h2 id=${`title-${id}`}>${title}</h2>
    <p class="muted small">
      ${kind.replace('_', ' ').toLowerCase()} · submitted ${when(meta.submittedAt)}${meta.submittedBy ? ` by ${meta.submittedBy.name}` : ''}
      ${meta.missing && meta.missing.length ? ` · seats open: ${meta.missing.join(', ')}` : ''}
      ${meta.asDesigneeOf ? ` · you act as designee of ${meta.asDesigneeOf.name}` : ''}
    </p>
    ${meta.own && html`<p class="warning">You wrote this post: the server refuses self-approval.</p>`}
    ${children}
    <label for=${field}>Note (approve) or reason (reject, required)</label>
    <textarea id=${field} rows="2" value=${text} onInput=${(e) => setText(e.target.value)}></textarea>
    <div class="actions">
      <button type="button" class="primary approve" disabled=${busy} onClick=${() => run('approve')}>Approve</button>
      <button type="button" class="reject action-remove" disabled=${busy} onClick=${() => run('reject')}>Reject</button>
    </div>
    <${Refusal} error=${error} />
  </article>`;
}
