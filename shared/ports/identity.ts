/** What a verified sign-in token says about its holder. */
export interface VerifiedIdentity {
  uid: string;
  email?: string;
  /** Custom claims set by a tenant admin (PUT /v1/members/{uid}); absent until then. */
  tenant?: unknown;
  role?: unknown;
}

/** A token that is not a valid, current sign-in (bad signature, expired, revoked, wrong project). */
export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

/** Checks sign-in tokens (Firebase ID tokens). */
export interface IdTokenVerifier {
  /** Resolves with the holder, or rejects with InvalidTokenError. */
  verify(idToken: string): Promise<VerifiedIdentity>;
}

export interface Member {
  uid: string;
  email: string | null;
  tenant: string | null;
  role: string | null;
}

/** The people who may sign in, and which tenant and role each has (kept as claims on their sign-in). */
export interface MemberDirectory {
  find(uid: string): Promise<Member | null>;
  /** Gives the user this tenant and role (their next token carries them). */
  assign(uid: string, tenant: string, role: string): Promise<void>;
  /** Takes the user's tenant and role away. */
  remove(uid: string): Promise<void>;
}
