import type { Auth } from 'firebase-admin/auth';
import { InvalidTokenError, type IdTokenVerifier, type Member, type MemberDirectory, type VerifiedIdentity } from '../../ports/identity';

function isAuthError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('auth/');
}

/**
 * Sign-in through Firebase Authentication: ID tokens verified by firebase-admin (against the Auth emulator when
 * FIREBASE_AUTH_EMULATOR_HOST is set, which only local mode allows), tenant and role kept as custom claims.
 * The claims are read from the user's current record, not from the token, so a role change or a removal applies
 * to the very next request rather than when the token (issued up to an hour before) expires.
 */
export class FirebaseIdentity implements IdTokenVerifier, MemberDirectory {
  constructor(private readonly auth: Auth) {}

  async verify(idToken: string): Promise<VerifiedIdentity> {
    try {
      const decoded = await this.auth.verifyIdToken(idToken);
      const user = await this.auth.getUser(decoded.uid);
      if (user.disabled) throw new InvalidTokenError('the account is disabled');
      // What checkRevoked would do, on the record read anyway: tokens issued before a sign-out everywhere are void.
      const validSince = user.tokensValidAfterTime === undefined ? 0 : Date.parse(user.tokensValidAfterTime);
      if (decoded.auth_time * 1000 < validSince) throw new InvalidTokenError('the sign-in was revoked');
      const claims = user.customClaims ?? {};
      return { uid: user.uid, email: user.email, tenant: claims.tenant, role: claims.role };
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      if (isAuthError(error)) throw new InvalidTokenError((error as Error).message);
      throw error;
    }
  }

  async find(uid: string): Promise<Member | null> {
    try {
      const user = await this.auth.getUser(uid);
      const claims = user.customClaims ?? {};
      return {
        uid: user.uid,
        email: user.email ?? null,
        tenant: typeof claims.tenant === 'string' ? claims.tenant : null,
        role: typeof claims.role === 'string' ? claims.role : null,
      };
    } catch (error) {
      if ((error as { code?: string }).code === 'auth/user-not-found') return null;
      throw error;
    }
  }

  async assign(uid: string, tenant: string, role: string): Promise<void> {
    const user = await this.auth.getUser(uid);
    await this.auth.setCustomUserClaims(uid, { ...(user.customClaims ?? {}), tenant, role });
  }

  async remove(uid: string): Promise<void> {
    const user = await this.auth.getUser(uid);
    const { tenant: _tenant, role: _role, ...rest } = user.customClaims ?? {};
    await this.auth.setCustomUserClaims(uid, rest);
  }
}
