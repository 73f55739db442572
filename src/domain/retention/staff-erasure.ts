/**
 * What a member of staff's account becomes when it is erased on their request: it keeps its id
 * (every record of who did what still points at it) under a stand-in name, with an address in the
 * reserved `.invalid` domain (RFC 2606) that no one can receive mail at or sign in with.
 */
export const ERASED_STAFF_NAME = 'Former member of staff';

const ERASED_DOMAIN = '@erased.invalid';

export const erasedStaffEmail = (userId: string) => `erased-${userId}${ERASED_DOMAIN}`;

export const isErasedStaffEmail = (email: string) => email.toLowerCase().endsWith(ERASED_DOMAIN);
