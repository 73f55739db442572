/** The demonstration's sign-ins, one per role and agency (../shared/docs/interfaces.md). */
export const DEMO_SIGN_INS = [
  'admin@demo.example',
  'coordinator@demo.example',
  'chair@demo.example',
  'police.lead@demo.example',
  'csc.lead@demo.example',
  'hv.lead@demo.example',
  'practitioner@demo.example',
  'board@demo.example',
] as const;
