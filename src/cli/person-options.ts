import type { Command } from 'commander';
import type { PersonQuery } from '../domain/retention/person-search.ts';
import { isIsoDate } from '../domain/calendar/iso-date.ts';

export interface PersonOptions {
  name?: string;
  dateOfBirth?: string;
  nhsNumber?: string;
  postcode?: string;
  all?: boolean;
}

/** The options that find a child or household member, for `subject-access` and `retention erase`. */
export function personOptions(command: Command, verb: string): Command {
  return command
    .option('--name <name>', 'a child or household member: their full name as recorded (any case or spacing)')
    .option('--date-of-birth <date>', 'with their date of birth (2017-09-14 or 14/9/2017)')
    .option('--nhs-number <digits>', "a child's NHS number (10 digits, spaces allowed)")
    .option('--postcode <postcode>', "a child's postcode (with --date-of-birth, or with a name)")
    .option('--all', `when the search finds several people, ${verb} all of them`);
}

/** A date of birth as typed: YYYY-MM-DD, or day/month/year; anything else is left for the service to refuse. */
export function typedDate(value: string): string {
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value.trim());
  if (!dmy) return value.trim();
  const iso = `${dmy[3]}-${dmy[2]!.padStart(2, '0')}-${dmy[1]!.padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : value.trim();
}

/** The person searched for, or null when no identifier was given. */
export function personQueryOf(options: PersonOptions): PersonQuery | null {
  const query: PersonQuery = {
    name: options.name,
    dateOfBirth: options.dateOfBirth === undefined ? undefined : typedDate(options.dateOfBirth),
    nhsNumber: options.nhsNumber,
    postcode: options.postcode,
  };
  return Object.values(query).some((v) => v !== undefined && v !== '') ? query : null;
}

/** What the command says when a search finds several people and `--all` was not given. */
export function severalPeople(count: number, verb: string): string {
  return `${count} people match this search; nothing was ${verb}. Narrow it (--date-of-birth, --nhs-number, --postcode), or add --all to take all ${count}.`;
}
