// Which screens exist and who sees them (the server decides what each may do; this only keeps
// the navigation to what a role can use).

import { QueueScreen } from './queue.js';
import { RecordsScreen } from './records.js';
import { ApprovalsScreen } from './approvals.js';
import { ComposeScreen } from './compose.js';

const MODERATORS = ['DIRECTOR', 'PIO'];
const EVERYONE = ['DIRECTOR', 'PIO', 'STAFF'];

export const SCREENS = [
  { id: 'queue', title: 'Moderation', roles: MODERATORS, component: QueueScreen },
  { id: 'approvals', title: 'Approvals', roles: MODERATORS, component: ApprovalsScreen },
  { id: 'compose', title: 'Write a post', roles: EVERYONE, component: ComposeScreen },
  { id: 'records', title: 'Records', roles: MODERATORS, component: RecordsScreen },
];
