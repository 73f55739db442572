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
  },
  admin: {
    audit: () => '/admin/audit',
    users: () => '/admin/users',
    newUser: () => '/admin/users/new',
    agencies: () => '/admin/agencies',
  },
} as const;
