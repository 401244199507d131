// Sign-in: e-mail and password, exchanged by `login` for tokens kept in memory only.

import { html, useState, useEffect, useRef } from './html.js';
import { login } from './api.js';
import { Refusal } from './ui.js';

/** The sign-in form; `expired` says the session ended and the screen behind is kept. */
export function SignIn({ expired, email: knownEmail }) {
  const [email, setEmail] = useState(knownEmail || '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const first = useRef(null);
  useEffect(() => first.current && first.current.focus(), []);

  const submit = async (ev) => {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return html`<div class=${expired ? 'signin-overlay' : 'signin-page'}>
    <form class="signin" onSubmit=${submit} aria-labelledby="signin-title" novalidate>
      <h1 id="signin-title">${expired ? 'Session ended: sign in again' : 'Sign in'}</h1>
      ${expired &&
      html`<p class="muted">Your work on the screen behind is kept; it continues after you sign in.</p>`}
      <label for="signin-email">E-mail</label>
      <input
        id="signin-email"
        name="email"
        type="email"
        autocomplete="username"
        required
        ref=${first}
        value=${email}
        onInput=${(e) => setEmail(e.target.value)}
      />
      <label for="signin-password">Password</label>
      <input
        id="signin-password"
        name="password"
        type="password"
        autocomplete="current-password"
        required
        value=${password}
        onInput=${(e) => setPassword(e.target.value)}
      />
      <button type="submit" class="primary" disabled=${busy}>${busy ? 'Signing in…' : 'Sign in'}</button>
      <${Refusal} error=${error} />
    </form>
  </div>`;
}
