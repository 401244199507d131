// The moderation queue: comments waiting for a decision, oldest first, live.
//
// New comments arrive through the `moderationEvents` subscription and are appended at the end
// (oldest first), so nothing above moves; decided comments leave. Keys: j/k move, x selects
// for a bulk decision, p/h/r/e publish, hide, remove or escalate (see the decision panel).

import { html, useEffect, useMemo, useRef, useState } from './html.js';
import { gql } from './api.js';
import { subscribe } from './socket.js';
import { Highlighted } from './highlight.js';
import { DecisionPanel, KEYS } from './decide.js';
import { Loading, ScreenHeader, when } from './ui.js';
import { screenClause } from './clauses.js';

const FINDING = 'rule severity clause message start end excerpt source score';
const DECISION = 'id action rules clauses note publicReason at moderator { name } asDesigneeOf { name }';
export const COMMENT = `id authorHandle body status verdict receivedAt externalId
  platform { id handle network }
  findings { ${FINDING} }
  decisions { ${DECISION} }
  priorDecisions { ${DECISION} }
  priorDecisionCount
  appeals { id text status createdAt }`;

const QUEUE = `query($d: String!, $status: CommentStatus) {
  policyRules(departmentCode: $d) { code title clause publicReason }
  moderationQueue(departmentCode: $d, status: $status, first: 100) { totalCount nodes { ${COMMENT} } }
}`;
const EVENTS = `subscription($d: String!) { moderationEvents(departmentCode: $d) { kind commentId status comment { ${COMMENT} } } }`;

const VIEWS = [
  { status: 'PENDING', title: 'Waiting' },
  { status: 'ESCALATED', title: 'Escalated' },
  { status: 'HIDDEN', title: 'Hidden (appeals)' },
  { status: 'REMOVED', title: 'Removed (appeals)' },
];

export function QueueScreen({ dept }) {
  const [view, setView] = useState('PENDING');
  const [rules, setRules] = useState(null);
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  const [current, setCurrent] = useState(null);
  const [picked, setPicked] = useState(new Set());
  const [live, setLive] = useState('connecting');
  const [total, setTotal] = useState(0);
  const [reloads, setReloads] = useState(0);
  const viewRef = useRef(view);
  viewRef.current = view;
  const wasLive = useRef(false);
  const onState = (state) => {
    // Back after a drop: what arrived meanwhile is not replayed, so load the view again.
    if (state === 'live' && wasLive.current) setReloads((n) => n + 1);
    if (state === 'live') wasLive.current = true;
    setLive(state);
  };

  useEffect(() => {
    let on = true;
    const nodes = (d) => d.moderationQueue.nodes;
    gql(QUEUE, { d: dept.code, status: view })
      .then((d) => {
        if (!on) return;
        setRules(d.policyRules);
        setItems(nodes(d));
        setTotal(d.moderationQueue.totalCount);
        // Keep the comment in hand (and its half-written decision) when it is still there.
        setCurrent((c) => (nodes(d).some((x) => x.id === c) ? c : nodes(d)[0] ? nodes(d)[0].id : null));
      })
      .catch((e) => on && setError(e));
    return () => {
      on = false;
    };
  }, [dept.code, view, reloads]);

  useEffect(
    () =>
      subscribe(
        EVENTS,
        { d: dept.code },
        (data) => {
          const ev = data.moderationEvents;
          const c = ev.comment;
          setItems((list) => {
            if (!list) return list;
            const here = list.findIndex((x) => x.id === ev.commentId);
            const belongs = c && c.status === viewRef.current;
            if (here >= 0 && !belongs) return list.filter((x) => x.id !== ev.commentId);
            if (here >= 0) return list.map((x) => (x.id === c.id ? c : x));
            if (belongs) return [...list, c];
            return list;
          });
        },
        onState,
      ),
    [dept.code],
  );

  const list = items || [];
  const selected = list.find((c) => c.id === current) || null;
  const bulk = list.filter((c) => picked.has(c.id));

  const decided = (ids) => {
    const gone = new Set(ids);
    setItems((l) => {
      const next = l.filter((c) => !gone.has(c.id));
      const at = l.findIndex((c) => gone.has(c.id));
      const after = next[Math.min(at, next.length - 1)];
      setCurrent(after ? after.id : null);
      return next;
    });
    setPicked(new Set());
  };

  const move = (delta) => {
    const i = list.findIndex((c) => c.id === current);
    const next = list[Math.max(0, Math.min(list.length - 1, i + delta))];
    if (next) {
      setCurrent(next.id);
      const el = document.getElementById(`comment-${next.id}`);
      if (el) el.focus();
    }
  };
  const toggle = (id) =>
    setPicked((s) => {
      const n = new Set(s);
      n.has(id) ? n.delete(id) : n.add(id);
      return n;
    });

  const onKey = (ev) => {
    if (ev.target.closest('input, textarea, select') || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key === 'j') move(1);
    else if (ev.key === 'k') move(-1);
    else if (ev.key === 'x' && current) toggle(current);
    else return;
    ev.preventDefault();
  };

  return html`<section class="screen queue-screen" onKeyDown=${onKey}>
    <${ScreenHeader} title="Moderation queue" clause=${screenClause(dept.code, 'queue')}>
      <p class="muted">
        Oldest first · ${items ? `${list.length} shown${total > list.length ? ` (the oldest of ${total}; decide them to see more)` : ''}` : ''} · <span class=${`live live-${live}`} id="live-state">${live}</span>
        · Keys: <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>x</kbd> select,
        ${Object.entries(KEYS).map(([k, a]) => html` <kbd>${k}</kbd> ${a.toLowerCase()}`)}
      </p>
      <div class="tabs" role="group" aria-label="Queue">
        ${VIEWS.map(
          (v) => html`<button
            type="button"
            id=${`view-${v.status.toLowerCase()}`}
            aria-pressed=${v.status === view}
            onClick=${() => {
              if (v.status === view) return;
              setItems(null);
              setPicked(new Set());
              setView(v.status);
            }}
          >${v.title}</button>`,
        )}
      </div>
    </${ScreenHeader}>
    <${Loading} data=${items} error=${error} />
    ${items &&
    html`<div class="queue-layout">
      <ol class="queue" aria-label="Comments" id="queue-list">
        ${list.length === 0 && html`<li class="muted empty">Nothing waiting.</li>`}
        ${list.map(
          (c) => html`<li
            id=${`comment-${c.id}`}
            class=${`comment-card${c.id === current ? ' current' : ''}`}
            data-comment-id=${c.id}
            tabindex="0"
            aria-current=${c.id === current ? 'true' : undefined}
            onClick=${() => setCurrent(c.id)}
            onFocus=${() => setCurrent(c.id)}
          >
            <div class="card-head">
              <input
                type="checkbox"
                aria-label=${`Select comment by ${c.authorHandle}`}
                checked=${picked.has(c.id)}
                onChange=${() => toggle(c.id)}
              />
              <strong>${c.authorHandle}</strong>
              <span class="muted">${c.platform ? `${c.platform.network} ${c.platform.handle}` : ''}</span>
              <span class=${`badge badge-${c.verdict.toLowerCase()}`}>${c.verdict}</span>
              <time datetime=${c.receivedAt} class="muted">${when(c.receivedAt)}</time>
            </div>
            <${Highlighted} text=${c.body} findings=${c.findings} />
            ${c.priorDecisionCount > 0 &&
            html`<p class="muted small">${c.priorDecisionCount} earlier decision(s) on this commenter</p>`}
          </li>`,
        )}
      </ol>
      <${DecisionPanel}
        dept=${dept}
        rules=${rules || []}
        comment=${selected}
        bulk=${bulk}
        view=${view}
        onDecided=${decided}
      />
    </div>`}
  </section>`;
}
