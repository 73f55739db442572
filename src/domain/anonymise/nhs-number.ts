/**
 * NHS numbers are ten digits, the last a modulus-11 check digit: weights 10 down to 2 over the
 * first nine, check = 11 − (sum mod 11), 11 → 0, and 10 means the number is not valid.
 */
export function nhsCheckDigit(firstNine: string): number | undefined {
  if (!/^\d{9}$/.test(firstNine)) return undefined;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return undefined;
  return check === 11 ? 0 : check;
}

/** Whether ten digits (spaces and hyphens ignored) make a valid NHS number. */
export function isValidNhsNumber(value: string): boolean {
  const digits = value.replace(/[\s-]/g, '');
  if (!/^\d{10}$/.test(digits)) return false;
  return nhsCheckDigit(digits.slice(0, 9)) === Number(digits[9]);
}
