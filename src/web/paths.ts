/** Typed path builders: every link and redirect comes from here, never from string building. */
const r = (ref: string) => `/reviews/${encodeURIComponent(ref)}`;

export const paths = {
  signIn: () => '/sign-in',
  signOut: () => '/sign-out',
  /** The steps of signing in after the password, re-authentication, resets and single sign-on. */
  signInSteps: {
    code: () => '/sign-in/code',
    recoveryCode: () => '/sign-in/recovery-code',
    setUpAuthenticator: () => '/sign-in/set-up-authenticator',
    confirm: () => '/sign-in/confirm',
    forgotPassword: () => '/sign-in/forgot-password',
    resetPassword: () => '/sign-in/reset-password',
    sso: ({ key }: { key: string }) => `/sign-in/sso/${encodeURIComponent(key)}`,
    ssoCallback: () => '/sign-in/sso/callback',
  },
  home: () => '/',
  reviews: {
    list: () => '/reviews',
    refer: () => '/reviews/new',
    overview: ({ ref }: { ref: string }) => r(ref),
    referral: ({ ref }: { ref: string }) => `${r(ref)}/referral`,
    identifiable: ({ ref }: { ref: string }) => `${r(ref)}/referral/identifiable-details`,
    screening: ({ ref }: { ref: string }) => `${r(ref)}/screening`,
    rapidReviewOutcome: ({ ref }: { ref: string }) => `${r(ref)}/rapid-review-outcome`,
    termsOfReference: ({ ref }: { ref: string }) => `${r(ref)}/terms-of-reference`,
    /** The background and purpose (the briefing's sections 1 and 2), written on the terms of reference tab. */
    summary: ({ ref }: { ref: string }) => `${r(ref)}/summary`,
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
    /** Every submitted return accepted at once. */
    acceptAll: ({ ref }: { ref: string }) => `${r(ref)}/requests/accept`,
    requestAction: ({
      ref,
      id,
      action,
    }: {
      ref: string;
      id: string;
      action: 'accept' | 'query' | 'withdraw' | 'reissue' | 'chase';
    }) => `${r(ref)}/requests/${id}/${action}`,
    return: ({ ref }: { ref: string }) => `${r(ref)}/return`,
    returnEntryNew: ({ ref }: { ref: string }) => `${r(ref)}/return/entries/new`,
    returnEntry: ({ ref, id }: { ref: string; id: string }) => `${r(ref)}/return/entries/${id}`,
    returnEntryRemove: ({ ref, id }: { ref: string; id: string }) => `${r(ref)}/return/entries/${id}/remove`,
    returnUpload: ({ ref }: { ref: string }) => `${r(ref)}/return/upload`,
    /** A large upload queued as a job: its progress, and its cancel. */
    returnUploadJob: ({ ref, id }: { ref: string; id: string }) => `${r(ref)}/return/uploads/${id}`,
    returnUploadCancel: ({ ref, id }: { ref: string; id: string }) => `${r(ref)}/return/uploads/${id}/cancel`,
    returnSelfAnalysis: ({ ref, id }: { ref: string; id: string }) => `${r(ref)}/return/self-analysis/${id}`,
    returnCheck: ({ ref }: { ref: string }) => `${r(ref)}/return/check`,
    returnSubmit: ({ ref }: { ref: string }) => `${r(ref)}/return/submit`,
    chronology: ({ ref }: { ref: string }) => `${r(ref)}/chronology`,
    chronologyNamed: ({ ref }: { ref: string }) => `${r(ref)}/chronology/named`,
    chronologyExport: ({ ref, format }: { ref: string; format: 'csv' | 'xlsx' }) =>
      `${r(ref)}/chronology/export.${format}`,
    chronologyLink: ({ ref }: { ref: string }) => `${r(ref)}/chronology/link`,
    chronologyUnlink: ({ ref }: { ref: string }) => `${r(ref)}/chronology/unlink`,
    // The Line of Sight event, key practice episodes, learning and traceability (issue 5).
    event: ({ ref }: { ref: string }) => `${r(ref)}/event`,
    eventAttendees: ({ ref }: { ref: string }) => `${r(ref)}/event/attendees`,
    eventAttendeeRemove: ({ ref, id }: { ref: string; id: string }) =>
      `${r(ref)}/event/attendees/${id}/remove`,
    eventAttendance: ({ ref }: { ref: string }) => `${r(ref)}/event/attendance`,
    eventInvitations: ({ ref }: { ref: string }) => `${r(ref)}/event/invitations`,
    eventNotes: ({ ref }: { ref: string }) => `${r(ref)}/event/notes`,
    eventPreReading: ({ ref }: { ref: string }) => `${r(ref)}/event/pre-reading`,
    episodes: ({ ref }: { ref: string }) => `${r(ref)}/episodes`,
    episodeNew: ({ ref }: { ref: string }) => `${r(ref)}/episodes/new`,
    episode: ({ ref, id }: { ref: string; id: string }) => `${r(ref)}/episodes/${id}`,
    episodeRemove: ({ ref, id }: { ref: string; id: string }) => `${r(ref)}/episodes/${id}/remove`,
    learning: ({ ref }: { ref: string }) => `${r(ref)}/learning`,
    learningNew: ({ ref }: { ref: string }) => `${r(ref)}/learning/new`,
    learningStatement: ({ ref, id }: { ref: string; id: string }) => `${r(ref)}/learning/${id}`,
    learningRemove: ({ ref, id }: { ref: string; id: string }) => `${r(ref)}/learning/${id}/remove`,
    traceability: ({ ref }: { ref: string }) => `${r(ref)}/traceability`,
    traceabilityPrint: ({ ref }: { ref: string }) => `${r(ref)}/traceability/print`,
    actions: ({ ref }: { ref: string }) => `${r(ref)}/actions`,
    actionNew: ({ ref }: { ref: string }) => `${r(ref)}/actions/new`,
    progress: ({ ref }: { ref: string }) => `${r(ref)}/progress`,
    signals: ({ ref }: { ref: string }) => `${r(ref)}/signals`,
    signal: ({ ref, key }: { ref: string; key: string }) => `${r(ref)}/signals/${key}`,
    signalDecision: ({ ref, key }: { ref: string; key: string }) => `${r(ref)}/signals/${key}/decision`,
    signalKloe: ({ ref, key }: { ref: string; key: string }) => `${r(ref)}/signals/${key}/line-of-enquiry`,
    // The 7-minute briefing (issue 6).
    briefing: ({ ref }: { ref: string }) => `${r(ref)}/briefing`,
    briefingSection: ({ ref, index }: { ref: string; index: number }) =>
      `${r(ref)}/briefing/sections/${index + 1}`,
    briefingSectionNew: ({ ref }: { ref: string }) => `${r(ref)}/briefing/sections/new`,
    briefingSectionRemove: ({ ref, index }: { ref: string; index: number }) =>
      `${r(ref)}/briefing/sections/${index + 1}/remove`,
    briefingSectionMove: ({ ref, index }: { ref: string; index: number }) =>
      `${r(ref)}/briefing/sections/${index + 1}/move`,
    briefingAction: ({
      ref,
      action,
    }: {
      ref: string;
      action: 'generate' | 'check' | 'submit' | 'approve' | 'publish' | 'return' | 'reissue' | 'accept';
    }) => `${r(ref)}/briefing/${action}`,
    briefingPreview: ({ ref }: { ref: string }) => `${r(ref)}/briefing/preview`,
    briefingDownload: ({ ref, format }: { ref: string; format: 'md' | 'html' | 'pdf' | 'docx' }) =>
      `${r(ref)}/briefing/download.${format}`,
  },
  frontDoor: {
    reReferrals: () => '/front-door/re-referrals',
    checkAndChallenge: () => '/front-door/check-and-challenge',
    child: ({ key }: { key: string }) => `/front-door/children/${encodeURIComponent(key)}`,
    imports: () => '/front-door/imports',
    importRun: ({ id }: { id: string }) => `/front-door/imports/${id}`,
    cancelImport: ({ id }: { id: string }) => `/front-door/imports/${id}/cancel`,
  },
  /** What is waiting on the signed-in person across reviews ("Waiting on me"). */
  returns: () => '/returns',
  /** The partnership's actions and audits (issue 5). */
  actions: {
    list: () => '/actions',
    export: ({ format }: { format: 'csv' | 'xlsx' }) => `/actions/export.${format}`,
    action: ({ id }: { id: string }) => `/actions/${id}`,
    edit: ({ id }: { id: string }) => `/actions/${id}/edit`,
    updates: ({ id }: { id: string }) => `/actions/${id}/updates`,
    evidence: ({ id, updateId }: { id: string; updateId: string }) =>
      `/actions/${id}/updates/${updateId}/file`,
  },
  audits: {
    list: () => '/audits',
    audit: ({ id }: { id: string }) => `/audits/${id}`,
    rounds: ({ id }: { id: string }) => `/audits/${id}/rounds`,
    links: ({ id }: { id: string }) => `/audits/${id}/actions`,
    unlink: ({ id }: { id: string }) => `/audits/${id}/actions/unlink`,
  },
  /** The partnership's library of published briefings (issue 6). */
  library: {
    search: () => '/library',
    briefing: ({ id }: { id: string }) => `/library/${id}`,
    read: ({ id }: { id: string }) => `/library/${id}/read`,
    delivery: ({ id }: { id: string }) => `/library/${id}/deliveries`,
    download: ({ id, format }: { id: string; format: 'md' | 'html' | 'pdf' | 'docx' }) =>
      `/library/${id}/download.${format}`,
    import: () => '/library/import',
    importSave: () => '/library/import/save',
    draft: ({ id }: { id: string }) => `/library/import/drafts/${id}`,
    draftAccept: ({ id }: { id: string }) => `/library/import/drafts/${id}/accept`,
    draftPublish: ({ id }: { id: string }) => `/library/import/drafts/${id}/publish`,
    draftDiscard: ({ id }: { id: string }) => `/library/import/drafts/${id}/discard`,
    edit: ({ id }: { id: string }) => `/library/${id}/edit`,
  },
  /** The board's dashboard (issue 16): the page, its print view and each figure as CSV. */
  dashboard: {
    page: () => '/dashboard',
    print: () => '/dashboard/print',
    csv: ({ figure }: { figure: string }) => `/dashboard/${encodeURIComponent(figure)}.csv`,
  },
  admin: {
    audit: () => '/admin/audit',
    auditExport: () => '/admin/audit/export.csv',
    identifiableViews: () => '/admin/audit/identifiable-views',
    users: () => '/admin/users',
    newUser: () => '/admin/users/new',
    agencies: () => '/admin/agencies',
    resources: () => '/admin/resources',
    resourceRemove: ({ id }: { id: string }) => `/admin/resources/${id}/remove`,
    themes: () => '/admin/themes',
    theme: ({ id }: { id: string }) => `/admin/themes/${id}`,
    themeRetire: ({ id }: { id: string }) => `/admin/themes/${id}/retire`,
    themeRestore: ({ id }: { id: string }) => `/admin/themes/${id}/restore`,
    signalThresholds: () => '/admin/signal-thresholds',
    reviewTargets: () => '/admin/review-targets',
    retention: () => '/admin/retention',
    retentionPeriod: () => '/admin/retention/periods',
    retentionHolds: () => '/admin/retention/holds',
    retentionRelease: ({ ref }: { ref: string }) =>
      `/admin/retention/holds/${encodeURIComponent(ref)}/release`,
    retentionErase: () => '/admin/retention/erase',
    retentionEraseConfirm: () => '/admin/retention/erase/confirm',
    subjectAccess: () => '/admin/subject-access',
    logo: () => '/admin/logo',
    logoRemove: () => '/admin/logo/remove',
    /** Everyone's API tokens in the partnership; `user` narrows them to one person's. */
    apiTokens: (query: { user?: string } = {}) =>
      query.user ? `/admin/api-tokens?user=${encodeURIComponent(query.user)}` : '/admin/api-tokens',
    revokeApiToken: ({ id }: { id: string }) => `/admin/api-tokens/${id}/revoke`,
    person: ({ id }: { id: string }) => `/admin/users/${id}`,
    personAction: ({
      id,
      action,
    }: {
      id: string;
      action: 'access' | 'disable' | 'enable' | 'end-sessions' | 'reset-authenticator';
    }) => `/admin/users/${id}/${action}`,
    signIn: () => '/admin/sign-in',
    newProvider: () => '/admin/sign-in/providers/new',
    provider: ({ id }: { id: string }) => `/admin/sign-in/providers/${id}`,
  },
  /** The signed-in person's own settings: sign-in and security, and their personal API tokens. */
  account: {
    security: () => '/account',
    password: () => '/account/password',
    authenticator: () => '/account/authenticator',
    recoveryCodes: () => '/account/recovery-codes',
    sessions: () => '/account/sessions',
    endSession: ({ ref }: { ref: string }) => `/account/sessions/${ref}/end`,
    endOtherSessions: () => '/account/sessions/end-others',
    apiTokens: () => '/account/api-tokens',
    newApiToken: () => '/account/api-tokens/new',
    revokeApiToken: ({ id }: { id: string }) => `/account/api-tokens/${id}/revoke`,
    /** Forms sent after the session ended, kept for the person (and the one page of each). */
    keptForms: () => '/account/kept-forms',
    keptForm: ({ id }: { id: string }) => `/account/kept-forms/${id}`,
    discardKeptForm: ({ id }: { id: string }) => `/account/kept-forms/${id}/discard`,
    /** "Stay signed in" of the time-out warning. */
    keepAlive: () => '/account/session/keep-alive',
  },
  /** The partnership's logo as a picture, for every signed-in person (it heads its briefings). */
  partnershipLogo: () => '/partnership/logo',
} as const;
