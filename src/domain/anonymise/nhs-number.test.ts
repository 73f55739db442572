import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidNhsNumber, nhsCheckDigit } from './nhs-number.ts';

describe('NHS number check digit', () => {
  it('accepts the NHS’s own documented example, with or without spaces', () => {
    expect(isValidNhsNumber('943 476 5919')).toBe(true);
    expect(isValidNhsNumber('9434765919')).toBe(true);
  });

  it('refuses a wrong check digit, the wrong length and letters', () => {
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(isValidNhsNumber('943476591')).toBe(false);
    expect(isValidNhsNumber('94347659199')).toBe(false);
    expect(isValidNhsNumber('94347659A9')).toBe(false);
  });

  it('catches any single changed digit', () => {
    const nine = fc.stringMatching(/^\d{9}$/).filter((d) => nhsCheckDigit(d) !== undefined);
    fc.assert(
      fc.property(nine, fc.nat(9), fc.integer({ min: 1, max: 9 }), (first, position, change) => {
        const number = `${first}${nhsCheckDigit(first)}`;
        expect(isValidNhsNumber(number)).toBe(true);
        const digit = (Number(number[position]) + change) % 10;
        const altered = `${number.slice(0, position)}${digit}${number.slice(position + 1)}`;
        expect(isValidNhsNumber(altered)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
