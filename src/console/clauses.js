// The directive clause behind each screen, per department, as the department's profile states
// them. Findings, checklists, purposes and decisions carry their own clauses from the API;
// these are the screen-level citations the API has no field for.

const SCREENS = {
  'MT-DOC': {
    queue: 'MT IV.A.2.c: comments are published only when they meet the criteria',
    approvals: 'MT IV.A.2.a (approval), MT IV.A.2.b (changes before they take effect)',
    compose: 'MT IV.A.2.a (approval of official content), MT IV.A.4 (link to the official website)',
    platforms: 'MT IV.A.1 (purposes), IV.A.2.a (approval), IV.A.3-4 (required page elements)',
    authorizations: 'MT IV.A.2.a: who may post for the Department',
    records: 'Audit log and holds: records management and e-discovery; reviews MT II; acknowledgements MT IV.B.1',
    people: 'MT IV.B.1: employees follow DOC Policy 1.3.2',
  },
  'IL-DOC': {
    queue: 'IL 01.02.400 II.G.4.b: comments that break the criteria are removed',
    approvals: 'IL 01.02.400 II.G.1.a: the director and the PIO approve official sites',
    compose: 'IL 01.02.400 II.G.4.a (PIO approval), II.G.1.c (link to the official website)',
    platforms: 'IL 01.02.400 II.F.2 (terms), II.G.1 (approval and page elements), II.G.2 (purposes)',
    authorizations: 'IL 01.02.400 II.G.5.a-b: written authorization for a specified period',
    records: 'IL 01.02.400 II.G.1.e (records), II.C (annual reviews), II.F.1 (acknowledgements)',
    people: 'IL 01.02.400 II.E: employees of every employment type',
  },
};

/** The citation of `screen` for department `code`, or an empty string. */
export function screenClause(code, screen) {
  const d = SCREENS[code];
  return (d && d[screen]) || '';
}
