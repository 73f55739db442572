import type { Database } from '../db/client.ts';
import { systemRepository } from '../db/repositories/system-repository.ts';
import { outboxRepository } from '../db/repositories/outbox-repository.ts';
import { addDays, londonDate } from '../domain/calendar/iso-date.ts';
import { ROLE_LABELS, type Actor, type Role } from '../domain/lifecycle/roles.ts';
import type { Stage } from '../domain/lifecycle/stages.ts';
import { hashPassword, actorFor } from '../services/auth-service.ts';
import { createServices } from '../services/index.ts';
import { CHILD_2 } from './child-2.ts';
import { loadChild2EventAndLearning } from './child-2-learning.ts';
import { loadChild2Actions } from './child-2-actions.ts';
import { loadChild2Briefing, reissueChild2Briefing } from './child-2-briefing.ts';
import { loadChild2Returns } from './child-2-returns.ts';
import { loadDemoMonitoring } from './monitoring.ts';
import { loadPastReview, PAST_REVIEWS, waitingReview } from './past-reviews.ts';
import { loadLibraryBriefings } from './library-briefings.ts';
import {
  DEMO_AGENCIES,
  DEMO_PARTNERSHIP,
  DEMO_PASSWORD,
  DEMO_TOTP_SECRET,
  DEMO_USERS,
} from './partnership.ts';
import { identityRepository } from '../db/repositories/identity-repository.ts';
import { DEFAULT_SECOND_FACTOR_ROLES, mustUseSecondFactor } from '../domain/sign-in/strength.ts';
import { secondFactorKeyMaterial } from '../services/sign-in/second-factor-service.ts';
import { secretBox } from '../services/sign-in/secret-box.ts';

export interface DemoResult {
  loaded: boolean;
  partnership: string;
  signIns: { email: string; role: string }[];
}

/**
 * Loads the demonstration partnership once (a second run finds it and does nothing). The reviews
 * go through the same services as a person would, with a clock set to when each step happened.
 */
export async function loadDemo(db: Database, now: () => Date = () => new Date()): Promise<DemoResult> {
  const system = systemRepository(db);
  const signIns = DEMO_USERS.map((u) => ({
    email: u.email,
    role: u.roles.map((r) => ROLE_LABELS[r]).join(', '),
  }));
  if (await system.partnershipByName(DEMO_PARTNERSHIP))
    return { loaded: false, partnership: DEMO_PARTNERSHIP, signIns };

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const users = new Map<string, Actor>();
  await db.transaction(async (tx) => {
    const repo = systemRepository(tx);
    const partnership = await repo.insertPartnership(DEMO_PARTNERSHIP, 'LOS');
    const agencies = new Map<string, string>();
    for (const a of DEMO_AGENCIES) agencies.set(a.code, (await repo.insertAgency(partnership.id, a)).id);
    for (const u of DEMO_USERS) {
      const row = await repo.insertUser({
        partnershipId: partnership.id,
        email: u.email,
        name: u.name,
        roles: [...u.roles] as Role[],
        agencyId: u.agency ? agencies.get(u.agency)! : null,
        jobTitle: u.jobTitle,
        passwordHash,
      });
      users.set(u.email, actorFor(row, 'demo-load'));
    }
  });

  await enforceSecondFactor(db, users, now);
  const coordinator = users.get('coordinator@demo.example')!;
  await loadChild1(db, coordinator, users);
  await loadChild2(db, coordinator, users);
  await loadLearningHistory(db, coordinator, users);
  await loadCurrentReviews(db, coordinator, users, londonDate(now()));
  await loadWaitingReview(db, coordinator, users, londonDate(now()));
  await loadDemoMonitoring(db, coordinator, now);
  // The story's e-mails went in 2021 and in the days before today: none is waiting to go.
  await outboxRepository(db).markQueuedAsSent(now());
  return { loaded: true, partnership: DEMO_PARTNERSHIP, signIns };
}

/**
 * The administrator requires a second factor of the roles that can see identifiable details (on
 * record in the audit log, as a person would do it), and those demonstration people have an
 * authenticator set up with the documented demonstration secret.
 */
async function enforceSecondFactor(db: Database, users: Map<string, Actor>, now: () => Date) {
  // The demonstration is loaded on the owner's connection alone (it makes the partnership);
  // its people's use cases are scoped to them all the same.
  const services = createServices({ db, system: db, now });
  await services.people.setSecondFactorRoles(users.get('admin@demo.example')!, {
    secondFactorRoles: [...DEFAULT_SECOND_FACTOR_ROLES],
  });
  const box = secretBox(await secondFactorKeyMaterial(db)());
  const identity = identityRepository(db);
  for (const user of users.values())
    if (mustUseSecondFactor(user.roles, DEFAULT_SECOND_FACTOR_ROLES))
      await identity.saveTotp(user.userId, box.seal(DEMO_TOTP_SECRET), now(), null);
}

/** Services whose clock reads whatever date the demo story is at. */
function servicesAt(db: Database) {
  let at = new Date();
  const services = createServices({ db, system: db, now: () => at });
  return { services, setDate: (iso: string) => (at = new Date(`${iso}T10:00:00Z`)) };
}

/** LOS-2021-001: a referral the review group screened out, closed with no further action. */
async function loadChild1(db: Database, coordinator: Actor, users: Map<string, Actor>) {
  const { services, setDate } = servicesAt(db);
  const reviews = services.reviews;
  const hv = users.get('hv.lead@demo.example')!;
  setDate('2021-01-05');
  const { reference } = await reviews.refer(hv, {
    referringAgency: 'health-visiting',
    referrerName: hv.name,
    referrerRole: 'Named nurse for safeguarding',
    referredOn: '2021-01-05',
    pseudonym: 'Child 1',
    child: {
      fullName: 'Testchild One Example',
      dateOfBirth: '2019-11-20',
      address: null,
      postcode: null,
      nhsNumber: null,
      school: null,
    },
    household: [],
    agenciesInvolved: ['health-visiting', 'gp'],
    whatHappened: 'Missed health visiting contacts over the first lockdown. (Synthetic demonstration case.)',
    whyLearning: 'Possible learning about contact during the pandemic.',
  });
  await reviews.moveStage(coordinator, reference, { to: 'screening' });
  setDate('2021-01-12');
  await reviews.recordScreening(coordinator, reference, {
    outcome: 'no_further_action',
    rationale:
      'Single-agency learning already addressed by the health visiting service; no multi-agency issues.',
    decisionMaker: 'Chair of the Safeguarding Review Group',
    decidedOn: '2021-01-12',
  });
  await reviews.moveStage(coordinator, reference, {
    to: 'closed',
    reason: 'No further action at screening.',
  });
}

async function loadChild2(db: Database, coordinator: Actor, users: Map<string, Actor>) {
  const { services, setDate } = servicesAt(db);
  const reviews = services.reviews;
  setDate(CHILD_2.referral.referredOn);
  const { reference } = await reviews.refer(users.get('csc.lead@demo.example')!, {
    ...CHILD_2.referral,
    pseudonym: CHILD_2.pseudonym,
    child: CHILD_2.subject,
    household: CHILD_2.household,
    agenciesInvolved: CHILD_2.agenciesInvolved,
  });
  if (reference !== CHILD_2.reference)
    throw new Error(`Demo reference is ${reference}, expected ${CHILD_2.reference}`);
  const move = async (to: Stage) => {
    setDate(CHILD_2.stageDates[to as keyof typeof CHILD_2.stageDates]);
    await reviews.moveStage(coordinator, reference, { to });
  };
  await move('screening');
  setDate(CHILD_2.screening.decidedOn);
  await reviews.recordScreening(coordinator, reference, CHILD_2.screening);
  await move('terms_of_reference');
  await reviews.setTermsOfReference(coordinator, reference, {
    ...CHILD_2.period,
    agenciesInScope: CHILD_2.agenciesInScope,
  });
  for (const question of CHILD_2.linesOfEnquiry)
    await reviews.addLineOfEnquiry(coordinator, reference, { question });
  for (const email of ['chair@demo.example', 'police.lead@demo.example', 'hv.lead@demo.example'])
    await reviews.addMember(coordinator, reference, users.get(email)!.userId);
  await move('information_gathering');
  await loadChild2Returns(services, coordinator, users, reference, setDate);
  for (const to of ['analysis', 'event', 'learning_and_actions', 'briefing', 'impact'] as const) {
    await move(to);
    // The event, episodes and learning are recorded while the event stage is open.
    if (to === 'event')
      await loadChild2EventAndLearning(services, setDate, reference, users.get('chair@demo.example')!);
    // The background and purpose are written for the briefing, published in June 2021.
    if (to === 'briefing') {
      await reviews.setSummary(coordinator, reference, {
        background: CHILD_2.background,
        purpose: CHILD_2.purpose,
      });
      await loadChild2Briefing(services, users, reference, setDate);
    }
  }
  await loadChild2Actions(services, coordinator, users, reference, setDate);
  // Reissued once the progress/impact statement (recorded with the actions) arrives.
  await reissueChild2Briefing(services, users, reference, setDate);
}

/**
 * Northshire's reviews since Child 2 (themes that came back after actions on them were done, an
 * audit whose results faded) and briefings from two neighbouring partnerships in the library.
 */
async function loadLearningHistory(db: Database, coordinator: Actor, users: Map<string, Actor>) {
  const { services, setDate } = servicesAt(db);
  for (const review of PAST_REVIEWS) await loadPastReview(services, setDate, coordinator, users, review);
  await loadLibraryBriefings(services, setDate, coordinator);
}

/** A review of this year waiting on two agencies' returns, past their due date. */
async function loadWaitingReview(db: Database, coordinator: Actor, users: Map<string, Actor>, today: string) {
  const { services, setDate } = servicesAt(db);
  await loadPastReview(services, setDate, coordinator, users, waitingReview(today, addDays));
}

/** Two reviews in progress this year, so the pipeline and deadlines show something current. */
async function loadCurrentReviews(
  db: Database,
  coordinator: Actor,
  users: Map<string, Actor>,
  today: string,
) {
  const { services, setDate } = servicesAt(db);
  const reviews = services.reviews;
  const police = users.get('police.lead@demo.example')!;

  setDate(addDays(today, -6));
  const first = await reviews.refer(police, {
    referringAgency: 'police',
    referrerName: police.name,
    referrerRole: 'Detective inspector, safeguarding',
    referredOn: addDays(today, -6),
    pseudonym: 'Child 7',
    child: {
      fullName: 'Testchild Seven Example',
      dateOfBirth: '2019-05-02',
      address: '7 Sample Road, Exampleton',
      postcode: 'ZZ99 7ZZ',
      nhsNumber: null,
      school: null,
    },
    household: [{ relationship: 'Father', fullName: 'Testfather Seven Example', dateOfBirth: null }],
    agenciesInvolved: ['police', 'school', 'csc'],
    whatHappened:
      'Repeated police call-outs for domestic abuse; the school raised concerns about attendance. (Synthetic demonstration case.)',
    whyLearning: 'Operation Encompass notifications did not reach the school on three occasions.',
  });
  await reviews.moveStage(coordinator, first.reference, { to: 'screening' });

  setDate(addDays(today, -3));
  const second = await reviews.refer(coordinator, {
    referringAgency: 'hospital',
    referrerName: coordinator.name,
    referrerRole: 'Review coordinator',
    referredOn: addDays(today, -3),
    pseudonym: 'Infant 8',
    child: {
      fullName: 'Testinfant Eight Example',
      dateOfBirth: null,
      address: null,
      postcode: null,
      nhsNumber: null,
      school: null,
    },
    household: [],
    agenciesInvolved: ['hospital', 'health-visiting', 'gp', 'police'],
    whatHappened:
      'An infant was admitted with injuries consistent with non-accidental injury. (Synthetic demonstration case.)',
    whyLearning: 'Serious harm: the criteria for a serious incident notification appear to be met.',
  });
  await reviews.moveStage(coordinator, second.reference, { to: 'screening' });
  setDate(addDays(today, -2));
  await reviews.recordScreening(coordinator, second.reference, {
    outcome: 'rapid_review',
    rationale:
      'Serious harm to an infant where abuse is suspected: notify the national panel and hold a rapid review.',
    decisionMaker: 'Chair of the Safeguarding Review Group',
    decidedOn: addDays(today, -2),
  });
  await reviews.moveStage(coordinator, second.reference, { to: 'terms_of_reference' });
}
