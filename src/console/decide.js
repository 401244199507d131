// The decision panel: one comment (or several selected) decided with rules pre-selected from
// the findings, the profile's canned public reason shown and editable, and a staff-only note.
// Beside it: the comment's own decisions, the commenter's earlier decisions and open appeals.

import { html, useEffect, useMemo, useState } from './html.js';
import { gql } from './api.js';
import { Refusal, when } from './ui.js';

/** Action per key. */
export const KEYS = { p: 'PUBLISH', h: 'HIDE', r: 'REMOVE', e: 'ESCALATE' };
const LABELS = { PUBLISH: 'Publish', HIDE: 'Hide', REMOVE: 'Remove', ESCALATE: 'Escalate' };
const NEEDS_RULE = new Set(['HIDE', 'REMOVE']);

const ONE = `mutation($id: ID!, $a: ModerationAction!, $r: [String!], $n: String, $p: String) {
  moderateComment(id: $id, action: $a, rules: $r, note: $n, publicReason: $p) { id action publicReason } }`;
const MANY = `mutation($ids: [ID!]!, $a: ModerationAction!, $r: [String!], $n: String, $p: String) {
  moderateComments(ids: $ids, action: $a, rules: $r, note: $n, publicReason: $p) { id action } }`;
const APPEAL = `mutation($id: ID!, $o: AppealOutcome!, $n: String) { decideAppeal(id: $id, outcome: $o, note: $n) { id status } }`;

function cannedFor(rules, chosen) {
  for (const code of chosen) {
    const r = rules.find((x) => x.code === code);
    if (r && r.publicReason) return r.publicReason;
  }
  return '';
}

export function DecisionPanel({ rules, comment, bulk, onDecided }) {
  const targets = bulk.length ? bulk : comment ? [comment] : [];
  const key = targets.map((c) => c.id).join(',');
  const found = useMemo(() => [...new Set(targets.flatMap((c) => c.findings.map((f) => f.rule)))], [key]);
  const [chosen, setChosen] = useState(found);
  const [reason, setReason] = useState('');
  const [edited, setEdited] = useState(false);
  const [note, setNote] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setChosen(found);
    setReason(cannedFor(rules, found));
    setEdited(false);
    setNote('');
    setError(null);
  }, [key, rules]);

  const pick = (code, on) => {
    const next = on ? [...chosen.filter((c) => c !== code), code] : chosen.filter((c) => c !== code);
    setChosen(next);
    if (!edited) setReason(cannedFor(rules, next));
  };

  const decide = async (action) => {
    if (!targets.length || busy) return;
    setBusy(true);
    setError(null);
    const vars = {
      a: action,
      r: action === 'PUBLISH' ? null : chosen,
      n: note.trim() || null,
      p: NEEDS_RULE.has(action) || edited ? reason.trim() || null : null,
    };
    try {
      if (bulk.length) await gql(MANY, { ...vars, ids: targets.map((c) => c.id) });
      else await gql(ONE, { ...vars, id: targets[0].id });
      setBusy(false);
      onDecided(targets.map((c) => c.id));
    } catch (e) {
      setBusy(false);
      setError(e);
    }
  };

  useEffect(() => {
    const onKey = (ev) => {
      if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.repeat) return;
      if (ev.target.closest && ev.target.closest('input, textarea, select, [inert]')) return;
      if (document.querySelector('.signin-overlay')) return;
      const action = KEYS[ev.key];
      if (!action) return;
      ev.preventDefault();
      decide(action);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  if (!targets.length) return html`<aside class="panel decision-panel"><p class="muted">Select a comment.</p></aside>`;

  const ordered = rules;
  const title = bulk.length ? `Decide ${bulk.length} selected comments with one justification` : `Decide on ${comment.authorHandle}'s comment`;

  return html`<aside class="panel decision-panel" aria-labelledby="decision-title">
    <h2 id="decision-title">${title}</h2>
    <fieldset class="rules">
      <legend>Rules it rests on (needed to hide or remove)</legend>
      ${found.length === 0 && html`<p class="muted small">No findings: pick a rule below to hide or remove.</p>`}
      ${ordered.filter((r) => found.includes(r.code)).map((r) => html`<${RuleOption} r=${r} found=${true} chosen=${chosen} pick=${pick} />`)}
      <details>
        <summary>Other rules of the profile</summary>
        ${ordered.filter((r) => !found.includes(r.code)).map((r) => html`<${RuleOption} r=${r} found=${false} chosen=${chosen} pick=${pick} />`)}
      </details>
    </fieldset>
    <label for="public-reason">Public reason (what the commenter may be told)</label>
    <textarea
      id="public-reason"
      rows="3"
      value=${reason}
      onInput=${(e) => {
        setReason(e.target.value);
        setEdited(true);
      }}
    ></textarea>
    <label for="staff-note">Staff-only note (never shown to the commenter or integrations)</label>
    <textarea id="staff-note" rows="2" value=${note} onInput=${(e) => setNote(e.target.value)}></textarea>
    <div class="actions">
      ${Object.entries(KEYS).map(
        ([k, a]) => html`<button
          type="button"
          class=${`action action-${a.toLowerCase()}`}
          id=${`decide-${a.toLowerCase()}`}
          disabled=${busy}
          aria-keyshortcuts=${k}
          onClick=${() => decide(a)}
        >${LABELS[a]} <kbd>${k}</kbd></button>`,
      )}
    </div>
    <${Refusal} error=${error} />
    ${!bulk.length && html`<${History} comment=${comment} onDecided=${onDecided} />`}
  </aside>`;
}

function RuleOption({ r, found, chosen, pick }) {
  return html`<label class=${`rule-option${found ? ' found' : ''}`}>
    <input
      type="checkbox"
      name="rule"
      value=${r.code}
      checked=${chosen.includes(r.code)}
      onChange=${(e) => pick(r.code, e.target.checked)}
    />
    <code>${r.code}</code> ${r.title} <span class="clause">${r.clause}</span>
  </label>`;
}

function Decision({ d }) {
  return html`<li>
    <span class=${`badge badge-${d.action.toLowerCase()}`}>${d.action}</span>
    ${d.rules.map((r, i) => html` <code>${r}</code> <span class="clause">${d.clauses[i] || ''}</span>`)}
    <span class="muted"> ${d.moderator ? d.moderator.name : ''}${d.asDesigneeOf ? ` as designee of ${d.asDesigneeOf.name}` : ''} · ${when(d.at)}</span>
    ${d.publicReason && html`<div class="small">Told: ${d.publicReason}</div>`}
  </li>`;
}

function History({ comment, onDecided }) {
  const [error, setError] = useState(null);
  const open = comment.appeals.filter((a) => a.status === 'OPEN');
  const decideAppeal = async (id, outcome) => {
    setError(null);
    try {
      await gql(APPEAL, { id, o: outcome, n: null });
      onDecided([comment.id]);
    } catch (e) {
      setError(e);
    }
  };
  return html`<div class="history">
    ${comment.decisions.length > 0 &&
    html`<h3>Decisions on this comment</h3>
      <ul class="decisions">${comment.decisions.map((d) => html`<${Decision} d=${d} />`)}</ul>`}
    <h3>The commenter's earlier decisions (${comment.priorDecisionCount})</h3>
    ${comment.priorDecisions.length === 0
      ? html`<p class="muted">None on this platform.</p>`
      : html`<ul class="decisions">${comment.priorDecisions.map((d) => html`<${Decision} d=${d} />`)}</ul>`}
    ${open.length > 0 &&
    html`<h3>Appeals to decide</h3>
      <ul class="appeals">
        ${open.map(
          (a) => html`<li>
            <q>${a.text}</q> <span class="muted">${when(a.createdAt)}</span>
            <div class="actions">
              <button type="button" class="uphold" onClick=${() => decideAppeal(a.id, 'UPHOLD')}>Uphold the decision</button>
              <button type="button" class="overturn" onClick=${() => decideAppeal(a.id, 'OVERTURN')}>Overturn (publish)</button>
            </div>
          </li>`,
        )}
      </ul>`}
    <${Refusal} error=${error} />
  </div>`;
}
