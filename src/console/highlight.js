// A text with its screening findings marked at their UTF-16 offsets (JavaScript string indices
// are UTF-16 code units, so the API's offsets index the string directly). Personal
// information is never shown in clear: a PPI finding shows its masked excerpt instead of the
// text it covers. Each mark tells rule, clause, source and score on hover and on focus.

import { html } from './html.js';

const masked = (f) => f.rule.startsWith('PPI_');

function describe(f) {
  const score = f.score == null ? '' : ` · score ${f.score.toFixed(2)}`;
  return `${f.rule} · ${f.severity} · ${f.clause} · ${f.source}${score}`;
}

/** The pieces of `text`: plain strings and marks, each mark with the findings over it. */
export function segments(text, findings) {
  const fs = (findings || []).filter((f) => f.end > f.start && f.start >= 0 && f.start < text.length);
  const cuts = new Set([0, text.length]);
  for (const f of fs) {
    cuts.add(f.start);
    cuts.add(Math.min(f.end, text.length));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  let skipUntil = -1;
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    if (a < skipUntil) continue;
    const over = fs.filter((f) => f.start <= a && f.end >= b);
    if (over.length === 0) {
      out.push({ text: text.slice(a, b), findings: [] });
      continue;
    }
    const ppi = over.find(masked);
    if (ppi) {
      // The whole finding becomes its masked excerpt, whatever else overlaps it.
      const all = fs.filter((f) => f.start < ppi.end && f.end > ppi.start);
      out.push({ text: ppi.excerpt, findings: all, masked: true });
      skipUntil = ppi.end;
    } else {
      out.push({ text: text.slice(a, b), findings: over });
    }
  }
  return out;
}

/** The text with its findings highlighted. */
export function Highlighted({ text, findings }) {
  return html`<p class="comment-text">${segments(text, findings).map((s) =>
    s.findings.length === 0
      ? s.text
      : html`<mark
          class=${`finding sev-${s.findings.some((f) => f.severity === 'BLOCK') ? 'block' : 'review'}${s.masked ? ' masked' : ''}`}
          data-rule=${s.findings.map((f) => f.rule).join(' ')}
          tabindex="0"
          title=${s.findings.map(describe).join('\n')}
          ><span class="mark-text">${s.text}</span><span class="tip" role="tooltip">${s.findings.map(
            (f) => html`<span class="tip-line">${describe(f)}</span>`,
          )}</span></mark
        >`,
  )}</p>`;
}

/** The findings as a list: rule, severity, clause, source, score and message. */
export function FindingList({ findings }) {
  if (!findings || findings.length === 0) return html`<p class="muted">No findings.</p>`;
  return html`<ul class="findings">
    ${findings.map(
      (f) => html`<li class=${`sev-${f.severity.toLowerCase()}`}>
        <code>${f.rule}</code> <span class="badge">${f.severity}</span>
        <span class="clause">${f.clause}</span>
        <span class="muted">${f.source}${f.score == null ? '' : ` ${f.score.toFixed(2)}`}</span>
        <span>${f.message}</span>
        ${f.excerpt && html`<q class="excerpt">${f.excerpt}</q>`}
      </li>`,
    )}
  </ul>`;
}
