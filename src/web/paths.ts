/** Typed path builders: every link and redirect comes from here, never from string building. */
const r = (ref: string) => `/reviews/${encodeURIComponent(ref)}`;

export const paths = {
  signIn: () => '/sign-in',
  signOut: () => '/sign-out',
  home: () => '/',
  reviews: {
    list: () => '/reviews',
    refer: () => '/reviews/new',
    overview: ({ ref }: { ref: string }) => r(ref),
    referral: ({ ref }: { ref: string }) => `${r(ref)}/referral`,
    identifiable: ({ ref }: { ref: string }) => `${r(ref)}/referral/identifiable-details`,
    screening: ({ ref }: { ref: string }) => `${r(ref)}/screening`,
    termsOfReference: ({ ref }: { ref: string }) => `${r(ref)}/terms-of-reference`,
    linesOfEnquiry: ({ ref }: { ref: string }) => `${r(ref)}/lines-of-enquiry`,
    lineOfEnquiry: ({ ref, id }: { ref: string; id: string }) => `${r(ref)}/lines-of-enquiry/${id}`,
    lineOfEnquiryRemove: ({ ref, id }: { ref: string; id: string }) =>
      `${r(ref)}/lines-of-enquiry/${id}/remove`,
    lineOfEnquiryMove: ({ ref, id }: { ref: string; id: string }) => `${r(ref)}/lines-of-enquiry/${id}/move`,
    agencies: ({ ref }: { ref: string }) => `${r(ref)}/agencies`,
    members: ({ ref }: { ref: string }) => `${r(ref)}/members`,
    memberRemove: ({ ref, userId }: { ref: string; userId: string }) => `${r(ref)}/members/${userId}/remove`,
    stage: ({ ref }: { ref: string }) => `${r(ref)}/stage`,
    status: ({ ref, change }: { ref: string; change: 'pause' | 'resume' | 'stop' }) => `${r(ref)}/${change}`,
    history: ({ ref }: { ref: string }) => `${r(ref)}/history`,
    // Agency requests, returns and the merged chronology (issue 3).
    requests: ({ ref }: { ref: string }) => `${r(ref)}/requests`,
    request: ({ ref, id }: { ref: string; id: string }) => `${r(ref)}/requests/${id}`,
    requestAction: ({ ref, id, action }: { ref: string; id: string; action: 'accept' | 'query' | 'withdraw' | 'reissue' }) =>
      `${r(ref)}/requests/${id}/${action}`,
    return: ({ ref }: { ref: string }) => `${r(ref)}/return`,
    returnEntryNew: ({ ref }: { ref: string }) => `${r(ref)}/return/entries/new`,
    returnEntry: ({ ref, id }: { ref: string; id: string }) => `${r(ref)}/return/entries/${id}`,
    returnEntryRemove: ({ ref, id }: { ref: string; id: string }) => `${r(ref)}/return/entries/${id}/remove`,
    returnUpload: ({ ref }: { ref: string }) => `${r(ref)}/return/upload`,
    returnSelfAnalysis: ({ ref, id }: { ref: string; id: string }) => `${r(ref)}/return/self-analysis/${id}`,
    returnCheck: ({ ref }: { ref: string }) => `${r(ref)}/return/check`,
    returnSubmit: ({ ref }: { ref: string }) => `${r(ref)}/return/submit`,
    chronology: ({ ref }: { ref: string }) => `${r(ref)}/chronology`,
    chronologyNamed: ({ ref }: { ref: string }) => `${r(ref)}/chronology/named`,
    chronologyExport: ({ ref, format }: { ref: string; format: 'csv' | 'xlsx' }) => `${r(ref)}/chronology/export.${format}`,
    chronologyLink: ({ ref }: { ref: string }) => `${r(ref)}/chronology/link`,
    chronologyUnlink: ({ ref }: { ref: string }) => `${r(ref)}/chronology/unlink`,
  },
  /** An agency lead's requests across reviews ("waiting on me"). */
  returns: () => '/returns',
  admin: {
    audit: () => '/admin/audit',
    users: () => '/admin/users',
    newUser: () => '/admin/users/new',
    agencies: () => '/admin/agencies',
  },
} as const;
