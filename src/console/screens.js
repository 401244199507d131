// Which screens exist and who sees them. The server decides what each may do; this only keeps
// the navigation to what the signed-in person can use: their role's responsibilities under the
// department's profile and those delegated to them. The first screen is where they land.

import { QueueScreen } from './queue.js';
import { RecordsScreen } from './records.js';
import { ApprovalsScreen } from './approvals.js';
import { ComposeScreen } from './compose.js';
import { PlatformsScreen } from './platforms.js';
import { AuthorizationsScreen } from './authorizations.js';
import { PeopleScreen } from './people.js';

const role = (...roles) => (user) => roles.includes(user.role);
const holds = (...what) => (user, caps) => what.some((w) => caps.has(w));
const everyone = () => true;

export const SCREENS = [
  { id: 'queue', title: 'Moderation', shown: holds('MODERATE_COMMENTS'), component: QueueScreen },
  { id: 'approvals', title: 'Approvals', shown: holds('APPROVE_PLATFORMS', 'APPROVE_POSTS'), component: ApprovalsScreen },
  { id: 'compose', title: 'Posts', shown: everyone, component: ComposeScreen },
  { id: 'platforms', title: 'Platforms', shown: everyone, component: PlatformsScreen },
  { id: 'authorizations', title: 'Authorizations', shown: everyone, component: AuthorizationsScreen },
  { id: 'records', title: 'Records', shown: role('DIRECTOR', 'PIO'), component: RecordsScreen },
  { id: 'people', title: 'People', shown: role('DIRECTOR'), component: PeopleScreen },
];
