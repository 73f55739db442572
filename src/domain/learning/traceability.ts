/**
 * The traceability of a review: each key line of enquiry to its evidence, episodes, learning and
 * actions, and the gaps in that chain. Pure: the service gathers the links, this decides.
 */
export interface TraceInput {
  linesOfEnquiry: { id: string; position: number; question: string }[];
  /** Signals a reviewer linked to a KLOE (not dismissed), by signal key. */
  signalLinks: { lineOfEnquiryId: string; signalKey: string }[];
  /** Self-analysis answers of accepted returns. */
  answers: { lineOfEnquiryId: string; agencyName: string }[];
  episodes: {
    id: string;
    title: string;
    kind: string;
    lineOfEnquiryIds: string[];
    entryIds: string[];
    signalKeys: string[];
  }[];
  learning: { id: string; statement: string; lineOfEnquiryIds: string[]; episodeIds: string[] }[];
  actions: { id: string; title: string; learningIds: string[]; successMeasure: string | null }[];
}

export type Gap =
  | { kind: 'kloe-without-evidence'; lineOfEnquiryId: string }
  | { kind: 'learning-without-action'; learningId: string }
  | { kind: 'action-without-success-measure'; actionId: string };

export interface TraceRow {
  lineOfEnquiry: { id: string; position: number; question: string };
  signalKeys: string[];
  entryIds: string[];
  answerAgencies: string[];
  episodeIds: string[];
  learningIds: string[];
  actionIds: string[];
  hasEvidence: boolean;
}

const unique = <T>(values: T[]) => [...new Set(values)];

export function traceReview(input: TraceInput): { rows: TraceRow[]; gaps: Gap[] } {
  const rows = input.linesOfEnquiry.map((kloe) => {
    const episodes = input.episodes.filter((e) => e.lineOfEnquiryIds.includes(kloe.id));
    const episodeIds = episodes.map((e) => e.id);
    // Learning belongs to a KLOE when linked to it directly or through one of its episodes.
    const learning = input.learning.filter(
      (l) => l.lineOfEnquiryIds.includes(kloe.id) || l.episodeIds.some((id) => episodeIds.includes(id)),
    );
    const learningIds = learning.map((l) => l.id);
    const signalKeys = unique([
      ...input.signalLinks.filter((s) => s.lineOfEnquiryId === kloe.id).map((s) => s.signalKey),
      ...episodes.flatMap((e) => e.signalKeys),
    ]);
    const entryIds = unique(episodes.flatMap((e) => e.entryIds));
    const answerAgencies = unique(
      input.answers.filter((a) => a.lineOfEnquiryId === kloe.id).map((a) => a.agencyName),
    );
    return {
      lineOfEnquiry: kloe,
      signalKeys,
      entryIds,
      answerAgencies,
      episodeIds,
      learningIds,
      actionIds: unique(
        input.actions.filter((a) => a.learningIds.some((id) => learningIds.includes(id))).map((a) => a.id),
      ),
      hasEvidence: signalKeys.length + entryIds.length + answerAgencies.length > 0,
    };
  });
  const gaps: Gap[] = [
    ...rows
      .filter((r) => !r.hasEvidence)
      .map((r) => ({ kind: 'kloe-without-evidence' as const, lineOfEnquiryId: r.lineOfEnquiry.id })),
    ...input.learning
      .filter((l) => !input.actions.some((a) => a.learningIds.includes(l.id)))
      .map((l) => ({ kind: 'learning-without-action' as const, learningId: l.id })),
    ...input.actions
      .filter((a) => !a.successMeasure?.trim())
      .map((a) => ({ kind: 'action-without-success-measure' as const, actionId: a.id })),
  ];
  return { rows, gaps };
}
