import { describe, expect, it } from 'vitest';
import { detectSignals } from '../signals/index.ts';
import { chronology, entry } from '../signals/testing.ts';
import { asOneEvent } from './same-event.ts';

const linked = (e: ReturnType<typeof entry>, sameEvent: string | null) => ({ ...e, sameEvent });

describe('asOneEvent', () => {
  const c = chronology(
    entry('2025-03-03', 'police_incident', {
      ref: 'POL-1',
      childrenPresent: 'not_recorded',
      concerns: ['domestic_abuse'],
    }),
    entry('2025-03-04', 'police_incident', {
      ref: 'CSC-1',
      agency: 'csc',
      childrenPresent: 'yes',
      concerns: ['drugs'],
    }),
    entry('2025-04-01', 'home_visit', { ref: 'CSC-2' }),
  );
  const events = [linked(c[0]!, 'event-1'), linked(c[1]!, 'event-1'), linked(c[2]!, null)];

  it('folds linked records into the first, keeping every concern, the strongest record of the child and the other sources', () => {
    expect(asOneEvent(events)).toEqual([
      {
        ...c[0],
        childrenPresent: 'yes',
        concerns: ['domestic_abuse', 'drugs'],
        extra: { same_event_sources: 'CSC-1' },
      },
      c[2],
    ]);
  });

  it('counts a linked event once in the signals', () => {
    const later = entry('2025-12-01', 'health_appointment', { agency: 'gp' });
    const apart = detectSignals([...c, later]).filter(
      (s) => s.rule === 'child-not-recorded' || s.rule === 'risk-not-assessed',
    );
    expect(apart.map((s) => [s.rule, s.evidence])).toEqual([
      ['child-not-recorded', ['POL-1']],
      ['risk-not-assessed', ['CSC-1']],
    ]);
    const together = detectSignals([...asOneEvent(events), later]).filter(
      (s) => s.rule === 'child-not-recorded' || s.rule === 'risk-not-assessed',
    );
    // One record says a child was present, so the event did record the child: one risk, cited once.
    expect(together.map((s) => [s.rule, s.evidence])).toEqual([['risk-not-assessed', ['POL-1']]]);
  });

  it('leaves an event linked to one record only, and unlinked entries, as they were', () => {
    expect(asOneEvent([linked(c[0]!, 'event-2'), linked(c[2]!, null)])).toEqual([c[0], c[2]]);
  });
});
