// The console's frame: sign-in gate, navigation by role, and the current screen.
//
// Screens are addressed by the URL fragment (`#/queue`), so the browser's back button and
// bookmarks work without any server routing. When the session ends by itself the screen stays
// mounted (inert) under a sign-in dialog, so a half-written form survives a new sign-in.

import { html, useEffect, useState, useRef } from './html.js';
import { currentSession, gql, logout, onSession } from './api.js';
import { SignIn } from './signin.js';
import { SCREENS } from './screens.js';

function routeFromHash() {
  return (location.hash || '').replace(/^#\/?/, '').split('?')[0];
}

const DELEGATED = `query($d: String!) { delegations(departmentCode: $d, activeOnly: true) { to { id } responsibilities } }`;

/** The user's responsibilities: their role's, then those delegated to them once loaded. */
function useCapacities(user) {
  const [delegated, setDelegated] = useState([]);
  useEffect(() => {
    setDelegated([]);
    if (!user) return;
    gql(DELEGATED, { d: user.department.code })
      .then((d) => setDelegated(d.delegations.filter((x) => x.to && x.to.id === user.id).flatMap((x) => x.responsibilities)))
      .catch(() => {});
  }, [user && user.id]);
  return new Set([...((user && user.responsibilities) || []), ...delegated]);
}

export function App() {
  const [session, setSession] = useState(currentSession());
  const [expired, setExpired] = useState(false);
  const [user, setUser] = useState(null);
  const [route, setRoute] = useState(routeFromHash());
  const main = useRef(null);
  const caps = useCapacities(user);

  useEffect(
    () =>
      onSession((s, why) => {
        setSession(s);
        if (s) {
          setExpired(false);
          setUser((u) => (u && u.id === s.user.id ? u : s.user));
        } else if (why === 'expired') {
          setExpired(true);
        } else {
          setExpired(false);
          setUser(null);
        }
      }),
    [],
  );
  useEffect(() => {
    const on = () => setRoute(routeFromHash());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  useEffect(() => {
    const t = document.getElementById('screen-title');
    if (t) t.focus();
  }, [route]);
  useEffect(() => {
    if (main.current) main.current.inert = expired;
  }, [expired]);

  if (!user) return html`<${SignIn} />`;

  const screens = SCREENS.filter((s) => s.shown(user, caps));
  const screen = screens.find((s) => s.id === route) || screens[0];
  const Screen = screen.component;
  const dept = user.department;

  return html`<div class="app">
    <a class="skip" href="#main" onClick=${(e) => {
      e.preventDefault();
      main.current && main.current.focus();
    }}>Skip to content</a>
    <header class="topbar">
      <div class="brand" title=${dept.directive || ''}>
        <span class="brand-name">${dept.name}</span>
        <span class="muted">${dept.code} · ${dept.website}</span>
      </div>
      <nav aria-label="Screens">
        <ul>
          ${screens.map(
            (s) => html`<li>
              <a href=${`#/${s.id}`} aria-current=${s.id === screen.id ? 'page' : undefined} id=${`nav-${s.id}`}>${s.title}</a>
            </li>`,
          )}
        </ul>
      </nav>
      <div class="whoami">
        <span class="name" title=${`${user.name} <${user.email}>`}>${user.name}</span>
        <span class="badge">${user.role}</span>
        <button type="button" id="sign-out" onClick=${() => logout()}>Sign out</button>
      </div>
    </header>
    <main id="main" ref=${main} tabindex="-1" aria-hidden=${expired ? 'true' : undefined}>
      <${Screen} key=${`${user.id}-${screen.id}`} user=${user} caps=${caps} dept=${dept} session=${session} />
    </main>
    ${expired && html`<${SignIn} expired=${true} email=${user.email} />`}
  </div>`;
}
