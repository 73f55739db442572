import {
  mayAdminister,
  mayListReviews,
  mayReadFrontDoorLists,
  mayViewActions,
  mayViewDashboard,
  type Actor,
} from '../../domain/lifecycle/roles.ts';
import { paths } from '../paths.ts';

export interface NavItem {
  href: string;
  text: string;
  active: boolean;
}

/** Primary navigation by role (docs/pages.md): only what this person can use. */
export function primaryNavigation(actor: Actor | null, currentPath: string, waiting = 0): NavItem[] {
  if (!actor) return [];
  const items: { href: string; text: string; show: boolean }[] = [
    // Everyone who has something waiting on them, with how many (issue 17).
    { href: paths.returns(), text: `Waiting on me (${waiting})`, show: waiting > 0 },
    {
      href: paths.reviews.list(),
      text: 'Reviews',
      show: mayListReviews(actor),
    },
    { href: paths.actions.list(), text: 'Actions', show: mayViewActions(actor) },
    // Every signed-in person reads the partnership's published briefings.
    { href: paths.library.search(), text: 'Library', show: true },
    { href: paths.frontDoor.reReferrals(), text: 'Front door lists', show: mayReadFrontDoorLists(actor) },
    { href: paths.dashboard.page(), text: 'Dashboard', show: mayViewDashboard(actor) },
    { href: paths.admin.audit(), text: 'Admin', show: mayAdminister(actor) },
  ];
  return items
    .filter((i) => i.show)
    .map(({ href, text }) => ({
      href,
      text,
      active: currentPath === href || currentPath.startsWith(`${href}/`),
    }));
}
