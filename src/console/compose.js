// Writing a post: the body is screened as it is typed (`screenText`, debounced), findings are
// highlighted in a preview, a missing link to the official website is flagged before
// submitting, and the author follows the post through approval and publication.

import { html, useEffect, useRef, useState } from './html.js';
import { gql } from './api.js';
import { FindingList, Highlighted } from './highlight.js';
import { Badge, Loading, Refusal, ScreenHeader, useLoad, when } from './ui.js';
import { screenClause } from './clauses.js';

const FINDING = 'rule severity clause message start end excerpt source score';
const LOAD = `query($d: String!, $me: ID!) {
  department(code: $d) { website websiteUrl }
  authorizations(departmentCode: $d, status: ACTIVE, first: 100) {
    nodes { id validUntil user { id } platforms { id network handle status } }
  }
  posts(departmentCode: $d, authorId: $me, first: 20) {
    nodes { id status body version verdict statusReason externalUrl createdAt submittedAt publishedAt
      platform { network handle } approvals { role approver { name } at note } }
  }
}`;
const SCREEN = `query($i: ScreenTextInput!) { screenText(input: $i) { verdict findings { ${FINDING} } } }`;
const CREATE = 'mutation($i: CreatePostInput!) { createPost(input: $i) { id status } }';
const UPDATE = 'mutation($id: ID!, $b: String!) { updatePost(id: $id, body: $b) { id status } }';
const SUBMIT = `mutation($id: ID!) { submitPost(id: $id) { id status verdict findings { ${FINDING} } } }`;
const PUBLISH = 'mutation($id: ID!, $u: String!) { publishPost(id: $id, externalUrl: $u) { id status } }';

/** Screens `text` a moment after the last keystroke; returns the latest result (or error). */
function useScreening(dept, text) {
  const [result, setResult] = useState(null);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    if (!text.trim()) {
      setResult(null);
      return undefined;
    }
    const t = setTimeout(() => {
      gql(SCREEN, { i: { departmentCode: dept.code, context: 'OFFICIAL_POST', text } })
        .then((d) => mine === seq.current && setResult({ ...d.screenText, text }))
        .catch((error) => mine === seq.current && setResult({ error, text }));
    }, 350);
    return () => clearTimeout(t);
  }, [dept.code, text]);
  return result;
}

export function ComposeScreen({ user, dept }) {
  const [data, error, reload] = useLoad(() => gql(LOAD, { d: dept.code, me: user.id }), [dept.code]);
  const [body, setBody] = useState('');
  const [platform, setPlatform] = useState('');
  const [draftId, setDraftId] = useState(null);
  const [refusal, setRefusal] = useState(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(null);
  const screening = useScreening(dept, body);

  const mine = data ? data.authorizations.nodes.filter((a) => a.user && a.user.id === user.id) : [];
  const platforms = [...new Map(mine.flatMap((a) => a.platforms).filter((p) => p.status === 'ACTIVE').map((p) => [p.id, p])).values()];
  useEffect(() => {
    if (!platform && platforms.length) setPlatform(platforms[0].id);
  }, [platforms.length]);

  const fresh = screening && screening.text === body;
  const findings = fresh && screening.findings ? screening.findings : [];
  const noLink = findings.some((f) => f.rule === 'MISSING_WEBSITE_LINK');

  const submit = async (ev) => {
    ev.preventDefault();
    setBusy(true);
    setRefusal(null);
    setDone(null);
    try {
      let id = draftId;
      if (id) await gql(UPDATE, { id, b: body });
      else {
        id = (await gql(CREATE, { i: { platformId: platform, body } })).createPost.id;
        setDraftId(id);
      }
      const s = (await gql(SUBMIT, { id })).submitPost;
      setDone(s);
      setDraftId(null);
      setBody('');
      reload();
    } catch (e) {
      setRefusal(e);
    }
    setBusy(false);
  };

  return html`<section class="screen">
    <${ScreenHeader} title="Write a post" clause=${screenClause(dept.code, 'compose')} />
    <${Loading} data=${data} error=${error} />
    ${data &&
    html`<div class="compose-layout">
      <form class="panel" onSubmit=${submit} aria-labelledby="compose-title">
        <h2 id="compose-title">Draft</h2>
        ${platforms.length === 0 &&
        html`<p class="warning" id="no-authorization">You have no live posting authorization: a post cannot be submitted without one for its platform (${screenClause(dept.code, 'authorizations')}).</p>`}
        <label for="compose-platform">Platform</label>
        <select id="compose-platform" value=${platform} onChange=${(e) => setPlatform(e.target.value)} disabled=${!platforms.length}>
          ${platforms.map((p) => html`<option value=${p.id}>${p.network} ${p.handle}</option>`)}
        </select>
        <label for="compose-body">Text</label>
        <textarea id="compose-body" rows="8" value=${body} onInput=${(e) => setBody(e.target.value)}></textarea>
        <p class="muted small" aria-live="polite" id="screening-state">
          ${!body.trim() ? 'Screened as you type.' : fresh ? `Screened: ${screening.error ? 'failed' : screening.verdict}` : 'Screening…'}
        </p>
        ${noLink &&
        html`<p class="warning" id="missing-link" role="status">No link to the official website (${data.department.websiteUrl || data.department.website}): the directive requires one.</p>`}
        <div class="actions">
          <button type="submit" class="primary" disabled=${busy || !platforms.length || !body.trim()}>Submit for approval</button>
        </div>
        <${Refusal} error=${refusal} />
        ${refusal && refusal.extensions && refusal.extensions.findings && html`<${FindingList} findings=${refusal.extensions.findings} />`}
        ${done && html`<p class="verification ok" role="status">Submitted: <${Badge} value=${done.status} /></p>`}
      </form>
      <div class="panel" id="compose-preview" aria-labelledby="preview-title">
        <h2 id="preview-title">Screening ${fresh && screening.verdict ? html`<${Badge} value=${screening.verdict} />` : ''}</h2>
        ${fresh && screening.error && html`<${Refusal} error=${screening.error} />`}
        ${body.trim() ? html`<${Highlighted} text=${body} findings=${findings} />` : html`<p class="muted">The preview shows what the screening finds.</p>`}
        ${fresh && !screening.error && html`<${FindingList} findings=${findings} />`}
      </div>
    </div>
    <${MyPosts} posts=${data.posts.nodes} reload=${reload} />`}
  </section>`;
}

function MyPosts({ posts, reload }) {
  return html`<section class="my-posts">
    <h2>Your posts <button type="button" onClick=${reload}>Refresh</button></h2>
    ${posts.length === 0 && html`<p class="muted">None yet.</p>`}
    <ul class="decisions">${posts.map((p) => html`<${MyPost} key=${p.id} p=${p} reload=${reload} />`)}</ul>
  </section>`;
}

function MyPost({ p, reload }) {
  const [url, setUrl] = useState('');
  const [error, setError] = useState(null);
  const publish = async () => {
    setError(null);
    try {
      await gql(PUBLISH, { id: p.id, u: url.trim() });
      reload();
    } catch (e) {
      setError(e);
    }
  };
  return html`<li>
    <${Badge} value=${p.status} /> ${p.platform ? `${p.platform.network} ${p.platform.handle}` : ''}
    <span class="muted">· v${p.version} · ${when(p.submittedAt || p.createdAt)}</span>
    <div class="small">${p.body.length > 140 ? `${p.body.slice(0, 140)}…` : p.body}</div>
    ${p.approvals.map((a) => html`<div class="small">Approved by ${a.approver ? a.approver.name : '?'} (${a.role}) ${when(a.at)}</div>`)}
    ${p.statusReason && html`<div class="small">Reason: ${p.statusReason}</div>`}
    ${p.externalUrl && html`<div class="small">Live at ${p.externalUrl}</div>`}
    ${p.status === 'APPROVED' &&
    html`<div class="inline-form">
      <label for=${`url-${p.id}`}>Where it went live</label>
      <input id=${`url-${p.id}`} type="url" value=${url} onInput=${(e) => setUrl(e.target.value)} />
      <button type="button" onClick=${publish} disabled=${!url.trim()}>Record publication</button>
      <${Refusal} error=${error} />
    </div>`}
  </li>`;
}
