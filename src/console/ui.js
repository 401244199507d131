// Small shared pieces: refusals with their clause, screen headers, dates, loading state.

import { html, useEffect, useState } from './html.js';
import { clauseOf } from './api.js';

/** A refusal as the server gave it: message, code and the clause it cites. */
export function Refusal({ error }) {
  if (!error) return null;
  const clause = (error.extensions && error.extensions.clause) || clauseOf(error.message);
  return html`<div class="refusal" role="alert">
    <strong>Refused</strong> <code class="code">${error.code || 'ERROR'}</code>
    <span class="refusal-message">${error.message}</span>
    ${clause && html`<span class="clause">Clause: ${clause}</span>`}
  </div>`;
}

/** A screen's title with the clause behind what it enforces. */
export function ScreenHeader({ title, clause, children }) {
  return html`<header class="screen-header">
    <h1 tabindex="-1" id="screen-title">${title}</h1>
    ${clause && html`<p class="clause screen-clause">${clause}</p>`}
    ${children}
  </header>`;
}

/** A date-time for people, in the browser's locale and time zone. */
export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Runs `load()` when `deps` change; returns [data, error, reload]. */
export function useLoad(load, deps) {
  const [state, setState] = useState({ data: null, error: null });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    load()
      .then((data) => live && setState({ data, error: null }))
      .catch((error) => live && setState({ data: null, error }));
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return [state.data, state.error, () => setTick((t) => t + 1)];
}

/** "Loading…" while data is null and there is no error. */
export function Loading({ data, error }) {
  if (error) return html`<${Refusal} error=${error} />`;
  if (data == null) return html`<p class="muted loading" aria-live="polite">Loading…</p>`;
  return null;
}

/** A status word as a badge. */
export function Badge({ value }) {
  return html`<span class=${`badge badge-${String(value).toLowerCase()}`}>${value}</span>`;
}
