import { describe, expect, it } from 'vitest';
import * as cheerio from 'cheerio';
import { createNunjucksEnvironment } from '../plugins/views.ts';
import { errorSummary, fieldError, fieldId } from './error-summary.ts';
import { primaryNavigation } from './navigation.ts';
import { deadlineText, reviewHub, stageTag } from './review-hub.ts';
import { reviewList } from './review-list.ts';
import type { Actor, Role } from '../../domain/lifecycle/roles.ts';

const actor = (...roles: Role[]): Actor => ({
  userId: 'u',
  partnershipId: 'p',
  agencyId: null,
  roles,
  email: 'x@demo.example',
  name: 'X',
  requestId: 'r',
});

describe('review hub presenter', () => {
  it('spells the next deadline out in working days', () => {
    const deadline = { what: 'Screening decision', due: '2026-03-16', basis: '' };
    expect(deadlineText(deadline, '2026-03-10')).toBe(
      'Screening decision due 16 March 2026 — due in 4 working days',
    );
    expect(deadlineText(null, '2026-03-10')).toBeNull();
  });

  it('colours stages: grey before the review starts, blue while it runs, green when closed', () => {
    expect(stageTag('screening').classes).toBe('govuk-tag--grey');
    expect(stageTag('analysis')).toEqual({ text: 'Analysis', classes: 'govuk-tag--blue' });
    expect(stageTag('closed').classes).toBe('govuk-tag--green');
  });

  it('marks the active tab and links every tab to its own page', () => {
    const hub = reviewHub(
      {
        reference: 'LOS-2026-004',
        pseudonym: 'Child 4',
        type: 'rapid_review',
        stage: 'screening',
        status: 'paused',
      },
      'screening',
      { today: '2026-03-10' },
    );
    expect(hub.typeLabel).toBe('Rapid review');
    expect(hub.statusTag?.text).toBe('Paused');
    expect(hub.subNavigation.filter((t) => t.active).map((t) => t.text)).toEqual(['Screening']);
    expect(hub.subNavigation.find((t) => t.text === 'History')?.href).toBe('/reviews/LOS-2026-004/history');
  });
});

describe('review list presenter', () => {
  it('escapes what people typed and counts days in stage', () => {
    const { rows, stageOptions } = reviewList(
      [
        {
          reference: 'LOS-2026-001',
          pseudonym: '<script>Child</script>',
          type: 'line_of_sight',
          stage: 'referral',
          status: 'active',
          stageEnteredAt: new Date('2026-03-01T10:00:00Z'),
          nextDeadline: null,
        },
      ],
      { stage: 'referral' },
      '2026-03-10',
    );
    expect(rows[0]![1]).toEqual({ text: '<script>Child</script>' });
    expect(rows[0]![5]).toEqual({ text: '9 days', format: 'numeric' });
    expect(stageOptions.find((o) => o.selected)?.value).toBe('referral');
  });
});

describe('error summary', () => {
  it('links each error to its field, a date to its day input, and leaves form-wide errors unlinked', () => {
    expect(
      errorSummary(
        { 'child.fullName': 'Enter a name', referredOn: 'Enter a date', _: 'Not now' },
        { dateFields: ['referredOn'] },
      ),
    ).toEqual([
      { text: 'Enter a name', href: '#child-fullName' },
      { text: 'Enter a date', href: '#referredOn-day' },
      { text: 'Not now' },
    ]);
    expect(fieldId('household.0.relationship')).toBe('household-0-relationship');
    expect(fieldError({ a: 'x' }, 'a')).toEqual({ text: 'x' });
    expect(fieldError({}, 'a')).toBe(false);
  });
});

describe('navigation', () => {
  it('shows each role only what it can use', () => {
    expect(
      primaryNavigation(actor('partnership_admin'), '/admin/audit').map((i) => [i.text, i.active]),
    ).toEqual([
      ['Reviews', false],
      ['Actions', false],
      ['Library', false],
      ['Front door lists', false],
      ['Dashboard', false],
      ['Admin', true],
    ]);
    // A practitioner reads the learning and nothing of cases.
    expect(primaryNavigation(actor('practitioner'), '/library').map((i) => [i.text, i.active])).toEqual([
      ['Library', true],
    ]);
    expect(primaryNavigation(null, '/')).toEqual([]);
  });
});

describe('templates', () => {
  it('renders the sign-in page with its CSRF field, labels and error summary, escaping values', () => {
    const env = createNunjucksEnvironment();
    const html = env.render('pages/sign-in.njk', {
      csrfToken: 'token-123',
      values: { email: '"><script>alert(1)</script>' },
      errors: { _: 'The e-mail address or password is not right' },
      errorList: [{ text: 'The e-mail address or password is not right' }],
    });
    const $ = cheerio.load(html);
    expect($('h1').text().trim()).toBe('Sign in to Line of Sight');
    expect($('input[name="_csrf"]').val()).toBe('token-123');
    expect($('label[for="email"]').text().trim()).toBe('E-mail address');
    expect($('.govuk-error-summary').text()).toContain('The e-mail address or password is not right');
    expect($('#email').val()).toBe('"><script>alert(1)</script>');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect($('html').attr('lang')).toBe('en-GB');
  });
});
