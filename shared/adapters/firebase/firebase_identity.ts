import type { Auth } from 'firebase-admin/auth';
import { InvalidTokenError, type IdTokenVerifier, type Member, type MemberDirectory, type VerifiedIdentity } from '../../ports/identity';

function isAuthError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('auth/');
}

/**
 * Sign-in through Firebase Authentication: ID tokens verified by firebase-admin (against the Auth emulator when
 * FIREBASE_AUTH_EMULATOR_HOST is set, which only local mode allows), tenant and role kept as custom claims.
 */
export class FirebaseIdentity implements IdTokenVerifier, MemberDirectory {
  constructor(private readonly auth: Auth) {}

  async verify(idToken: string): Promise<VerifiedIdentity> {
    try {
      // checkRevoked: a member an admin removes loses access at once, not when their token expires.
      const decoded = await this.auth.verifyIdToken(idToken, true);
      return { uid: decoded.uid, email: decoded.email, tenant: decoded.tenant, role: decoded.role };
    } catch (error) {
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
    // Tokens issued before carry the old role: make the user sign in again to pick up the new one.
    await this.auth.revokeRefreshTokens(uid);
  }

  async remove(uid: string): Promise<void> {
    const user = await this.auth.getUser(uid);
    const { tenant: _tenant, role: _role, ...rest } = user.customClaims ?? {};
    await this.auth.setCustomUserClaims(uid, rest);
    await this.auth.revokeRefreshTokens(uid);
  }
}
