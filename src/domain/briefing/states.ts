/** A briefing version's states, in order. A published version never changes; a reissue is a new version. */
export const BRIEFING_STATES = ['draft', 'in_review', 'approved', 'published'] as const;
export type BriefingState = (typeof BRIEFING_STATES)[number];

export const BRIEFING_STATE_LABELS: Record<BriefingState, string> = {
  draft: 'Draft',
  in_review: 'Waiting for approval',
  approved: 'Approved',
  published: 'Published',
};

export type BriefingMove = 'submit' | 'approve' | 'publish' | 'return';

const MOVES: Record<BriefingMove, { from: BriefingState[]; to: BriefingState }> = {
  submit: { from: ['draft'], to: 'in_review' },
  approve: { from: ['in_review'], to: 'approved' },
  publish: { from: ['approved'], to: 'published' },
  // The approver sends a version back for changes (or the coordinator takes it back).
  return: { from: ['in_review', 'approved'], to: 'draft' },
};

/** The state a move leads to, or why it cannot be made from this state. */
export function briefingMove(
  state: BriefingState,
  move: BriefingMove,
): { ok: true; to: BriefingState } | { ok: false; reason: string } {
  const m = MOVES[move];
  if (m.from.includes(state)) return { ok: true, to: m.to };
  const what = {
    submit: 'Only a draft can be sent for approval.',
    approve: 'Only a briefing waiting for approval can be approved.',
    publish: 'Only an approved briefing can be published.',
    return: 'Only a briefing waiting for approval or approved can go back to draft.',
  }[move];
  return { ok: false, reason: `${what} This version is ${BRIEFING_STATE_LABELS[state].toLowerCase()}.` };
}

/** Content changes only while a version is a draft or waiting for approval. */
export const isEditableState = (state: BriefingState) => state === 'draft' || state === 'in_review';
