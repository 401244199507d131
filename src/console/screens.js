// Which screens exist and who sees them (the server decides what each may do; this only keeps
// the navigation to what a role can use). The first a role may see is where it lands.

import { QueueScreen } from './queue.js';
import { RecordsScreen } from './records.js';
import { ApprovalsScreen } from './approvals.js';
import { ComposeScreen } from './compose.js';
import { PlatformsScreen } from './platforms.js';
import { AuthorizationsScreen } from './authorizations.js';
import { PeopleScreen } from './people.js';

const MODERATORS = ['DIRECTOR', 'PIO'];
const EVERYONE = ['DIRECTOR', 'PIO', 'STAFF'];

export const SCREENS = [
  { id: 'queue', title: 'Moderation', roles: MODERATORS, component: QueueScreen },
  { id: 'approvals', title: 'Approvals', roles: MODERATORS, component: ApprovalsScreen },
  { id: 'compose', title: 'Posts', roles: EVERYONE, component: ComposeScreen },
  { id: 'platforms', title: 'Platforms', roles: EVERYONE, component: PlatformsScreen },
  { id: 'authorizations', title: 'Authorizations', roles: EVERYONE, component: AuthorizationsScreen },
  { id: 'records', title: 'Records', roles: MODERATORS, component: RecordsScreen },
  { id: 'people', title: 'People', roles: ['DIRECTOR'], component: PeopleScreen },
];
