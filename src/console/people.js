// People (the director): the department's employees with role, employment type and HR status;
// assigning a role and suspending or reinstating an employee, each with the server's refusal
// when the rule forbids it (never the last director).

import { html, useState } from './html.js';
import { gql } from './api.js';
import { Badge, Loading, Refusal, ScreenHeader, useLoad } from './ui.js';
import { screenClause } from './clauses.js';

const LIST = `query($d: String!) { employees(departmentCode: $d, first: 100) { totalCount nodes { id name email role status employmentType } } }`;
const ROLE = 'mutation($id: ID!, $r: Role!) { assignRole(userId: $id, role: $r) { id role } }';
const SUSPEND = 'mutation($id: ID!, $t: String!) { suspendEmployee(userId: $id, reason: $t) { id status } }';
const REINSTATE = 'mutation($id: ID!, $t: String!) { reinstateEmployee(userId: $id, reason: $t) { id status } }';

export function PeopleScreen({ user, dept }) {
  const [data, error, reload] = useLoad(() => gql(LIST, { d: dept.code }), [dept.code]);
  return html`<section class="screen">
    <${ScreenHeader} title="People" clause=${screenClause(dept.code, 'people')} />
    <${Loading} data=${data} error=${error} />
    ${data &&
    html`<table class="grid" id="people-table">
      <caption>${data.employees.totalCount} employees, newest first. Role changes take effect on the employee's next request; a suspension ends their sessions at once.</caption>
      <thead><tr><th scope="col">Name</th><th scope="col">Employment</th><th scope="col">Status</th><th scope="col">Role</th><th scope="col">Suspend or reinstate</th></tr></thead>
      <tbody>${data.employees.nodes.map((u) => html`<${Person} key=${u.id} u=${u} me=${user} reload=${reload} />`)}</tbody>
    </table>`}
  </section>`;
}

function Person({ u, me, reload }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState(null);
  const run = async (query, vars) => {
    setError(null);
    try {
      await gql(query, { id: u.id, ...vars });
      setReason('');
      reload();
    } catch (e) {
      setError(e);
    }
  };
  const suspended = u.status === 'SUSPENDED';
  return html`<tr>
    <td>${u.name}${u.id === me.id ? ' (you)' : ''}<div class="small muted">${u.email}</div></td>
    <td>${u.employmentType.replace('_', ' ').toLowerCase()}</td>
    <td><${Badge} value=${u.status} /></td>
    <td>
      <label class="small" for=${`role-${u.id}`}>Role</label>
      <select id=${`role-${u.id}`} value=${u.role} onChange=${(e) => run(ROLE, { r: e.target.value })} disabled=${u.status === 'SEPARATED'}>
        ${['DIRECTOR', 'PIO', 'STAFF'].map((r) => html`<option value=${r}>${r}</option>`)}
      </select>
    </td>
    <td>
      ${u.status !== 'SEPARATED' &&
      html`<label class="small" for=${`reason-${u.id}`}>Reason</label>
        <input id=${`reason-${u.id}`} value=${reason} onInput=${(e) => setReason(e.target.value)} />
        <div class="actions">
          <button type="button" class=${suspended ? '' : 'action-remove'} disabled=${!reason.trim()} onClick=${() => run(suspended ? REINSTATE : SUSPEND, { t: reason.trim() })}>
            ${suspended ? 'Reinstate' : 'Suspend'}
          </button>
        </div>`}
      <${Refusal} error=${error} />
    </td>
  </tr>`;
}
