import { describe, expect, it } from 'vitest';
import { isOverdue, ragFor, ragText } from './rag.ts';

describe('RAG rating of an action', () => {
  const today = '2026-03-02'; // a Monday

  it('is green when done, whatever the due date', () => {
    expect(ragFor({ status: 'completed', dueDate: '2020-01-01' }, today)).toBe('green');
    expect(ragFor({ status: 'assured', dueDate: '2020-01-01' }, today)).toBe('green');
    expect(ragText({ status: 'assured' }, 'green')).toBe('Done');
  });

  it('is none when cancelled', () => {
    expect(ragFor({ status: 'cancelled', dueDate: '2020-01-01' }, today)).toBe('none');
  });

  it('is red when open and the due date has passed, and not on the due date itself', () => {
    expect(ragFor({ status: 'in_progress', dueDate: '2026-03-01' }, today)).toBe('red');
    expect(isOverdue({ status: 'not_started', dueDate: '2026-03-01' }, today)).toBe(true);
    expect(ragFor({ status: 'in_progress', dueDate: today }, today)).toBe('amber');
    expect(isOverdue({ status: 'completed', dueDate: '2026-03-01' }, today)).toBe(false);
  });

  it('is amber up to 10 working days ahead and green from the 11th', () => {
    // 10 working days after Monday 2 March 2026 is Monday 16 March.
    expect(ragFor({ status: 'not_started', dueDate: '2026-03-16' }, today)).toBe('amber');
    expect(ragFor({ status: 'not_started', dueDate: '2026-03-17' }, today)).toBe('green');
    expect(ragText({ status: 'not_started' }, 'green')).toBe('On track');
  });

  it('counts England bank holidays out of the 10 working days', () => {
    // From Thursday 17 December 2026, Christmas Day (Fri 25), the Boxing Day substitute (Mon 28)
    // and New Year's Day (Fri 1) are not working days: the 10th working day is Tuesday 5 January
    // 2027, which counting weekdays alone would make the 13th.
    const from = '2026-12-17';
    expect(ragFor({ status: 'in_progress', dueDate: '2027-01-05' }, from)).toBe('amber');
    expect(ragFor({ status: 'in_progress', dueDate: '2027-01-06' }, from)).toBe('green');
  });
});
