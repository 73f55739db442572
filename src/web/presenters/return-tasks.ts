import { paths } from '../paths.ts';

type Status = { text: string; classes?: string };
const NOT_STARTED: Status = { text: 'Not started', classes: 'govuk-tag--blue' };
const IN_PROGRESS: Status = { text: 'In progress', classes: 'govuk-tag--light-blue' };
const COMPLETED: Status = { text: 'Completed' };
const CANNOT_START: Status = { text: 'Cannot start yet', classes: 'govuk-tag--grey' };

/** The GOV.UK task list of an agency's return: entries, self-analysis, check, submit. */
export function returnTasks(
  w: {
    entryCount: number;
    kloes: { id: string }[];
    answers: {
      lineOfEnquiryId: string;
      wentWell: string | null;
      couldBeBetter: string | null;
      why: string | null;
    }[];
    ret: { status: string; submittedAt: Date | null };
  },
  ref: string,
) {
  const submitted = w.ret.status === 'submitted' || w.ret.status === 'accepted';
  const answered = w.kloes.filter((k) =>
    w.answers.some((a) => a.lineOfEnquiryId === k.id && (a.wentWell || a.couldBeBetter || a.why)),
  ).length;
  const tag = (s: Status) => (s.classes ? { tag: { text: s.text, classes: s.classes } } : { text: s.text });
  const entries = submitted ? COMPLETED : w.entryCount ? IN_PROGRESS : NOT_STARTED;
  const analysis =
    submitted || (w.kloes.length > 0 && answered === w.kloes.length)
      ? COMPLETED
      : answered
        ? IN_PROGRESS
        : NOT_STARTED;
  const firstKloe = w.kloes[0];
  return [
    {
      title: { text: 'Chronology entries' },
      hint: {
        text: `${w.entryCount.toLocaleString('en-GB')} ${w.entryCount === 1 ? 'entry' : 'entries'}: add them one by one or upload a CSV or Excel file`,
      },
      href: paths.reviews.returnCheck({ ref }),
      status: tag(entries),
    },
    {
      title: { text: 'Self-analysis' },
      hint: { text: `${answered} of ${w.kloes.length} key lines of enquiry answered` },
      href: firstKloe ? paths.reviews.returnSelfAnalysis({ ref, id: firstKloe.id }) : undefined,
      status: tag(analysis),
    },
    {
      title: { text: 'Check your answers' },
      href: w.entryCount ? paths.reviews.returnCheck({ ref }) : undefined,
      status: tag(submitted ? COMPLETED : w.entryCount ? NOT_STARTED : CANNOT_START),
    },
    {
      title: { text: 'Submit the return' },
      href: !submitted && w.entryCount ? paths.reviews.returnCheck({ ref }) + '#submit' : undefined,
      status: tag(submitted ? COMPLETED : w.entryCount ? NOT_STARTED : CANNOT_START),
    },
  ];
}
