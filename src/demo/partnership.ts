/**
 * The fictional Northshire partnership: every name, address and number here is invented and
 * obviously so (example.* domains, the ZZ99 pseudo-postcode, NHS numbers in the 999 test range).
 */
export const DEMO_PARTNERSHIP = 'Northshire Safeguarding Children Partnership';
export const DEMO_PASSWORD = 'demo-password-1';
/**
 * The authenticator secret of every demonstration person whose role must use a second factor
 * (Base32, 20 bytes): add it to an authenticator app by hand, or compute codes from it. For the
 * demonstration only, and printed in the README.
 */
export const DEMO_TOTP_SECRET = 'NORTHSHIREDEMOONLYNOTFORREALUSE2';

export const DEMO_AGENCIES = [
  { code: 'partnership', name: 'Partnership business unit', type: 'partnership' },
  { code: 'police', name: 'Northshire Police', type: 'police' },
  { code: 'csc', name: "Northshire Children's Social Care", type: 'childrens_social_care' },
  { code: 'health-visiting', name: 'Northshire Health Visiting Service', type: 'health_visiting' },
  { code: 'gp', name: 'Northshire GP practices', type: 'gp' },
  { code: 'school', name: 'Northshire schools and nurseries', type: 'school' },
  { code: 'hospital', name: 'Northshire General Hospital', type: 'hospital' },
  { code: 'drug-alcohol-service', name: 'Northshire Drug and Alcohol Service', type: 'drug_alcohol_service' },
  { code: 'probation', name: 'Probation Service, Northshire', type: 'probation' },
  { code: 'housing', name: 'Northshire Housing', type: 'housing' },
] as const;

export const DEMO_USERS = [
  {
    email: 'admin@demo.example',
    name: 'Alex Admin (demo)',
    roles: ['partnership_admin'],
    agency: 'partnership',
    jobTitle: 'Partnership administrator',
  },
  {
    email: 'coordinator@demo.example',
    name: 'Casey Coordinator (demo)',
    roles: ['review_coordinator'],
    agency: 'partnership',
    jobTitle: 'Review coordinator',
  },
  {
    email: 'chair@demo.example',
    name: 'Chris Chair (demo)',
    roles: ['independent_reviewer'],
    agency: null,
    jobTitle: 'Independent reviewer',
  },
  {
    email: 'police.lead@demo.example',
    name: 'Pat Police-Lead (demo)',
    roles: ['agency_lead'],
    agency: 'police',
    jobTitle: 'Detective inspector, safeguarding',
  },
  {
    email: 'csc.lead@demo.example',
    name: 'Sam Social-Care-Lead (demo)',
    roles: ['agency_lead'],
    agency: 'csc',
    jobTitle: 'Safeguarding service manager',
  },
  {
    email: 'hv.lead@demo.example',
    name: 'Harper Health-Visiting-Lead (demo)',
    roles: ['agency_lead'],
    agency: 'health-visiting',
    jobTitle: 'Named nurse for safeguarding',
  },
  {
    email: 'practitioner@demo.example',
    name: 'Parker Practitioner (demo)',
    roles: ['practitioner'],
    agency: 'health-visiting',
    jobTitle: 'Health visitor',
  },
  {
    email: 'board@demo.example',
    name: 'Blake Board-Member (demo)',
    roles: ['board_member'],
    agency: null,
    jobTitle: 'Lead safeguarding partner',
  },
] as const;
