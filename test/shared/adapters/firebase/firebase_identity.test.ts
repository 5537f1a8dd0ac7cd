import { expect } from 'chai';
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { FirebaseIdentity } from '../../../../shared/adapters/firebase/firebase_identity';
import { InvalidTokenError } from '../../../../shared/ports/identity';
import { signIn, signUp } from '../../../support/firebase_users';
import { rejectionOf } from '../../../support/rejection';
import { testPlatform } from '../../../support/root_hooks';

describe('FirebaseIdentity with firebase-admin against the Firebase Auth emulator', () => {
  let app: App;
  let identity: FirebaseIdentity;

  before(async () => {
    const platform = await testPlatform();
    app = initializeApp({ projectId: platform.projectId }, 'identity-test');
    identity = new FirebaseIdentity(getAuth(app));
  });
  after(() => deleteApp(app));

  it('verifies a sign-in and reads tenant and role from the current record, not the token', async () => {
    const user = await signUp();
    expect(await identity.verify(user.idToken)).to.deep.equal({ uid: user.uid, email: user.email, tenant: undefined, role: undefined });
    await identity.assign(user.uid, 'acme', 'user');
    expect(await identity.verify(user.idToken)).to.include({ tenant: 'acme', role: 'user' });
    expect(await identity.find(user.uid)).to.deep.equal({ uid: user.uid, email: user.email, tenant: 'acme', role: 'user' });
    await identity.remove(user.uid);
    expect(await identity.verify(user.idToken)).to.include({ tenant: undefined, role: undefined });
    expect(await identity.find('no-such-user')).to.equal(null);
  });

  it('keeps claims the directory does not own when assigning and removing', async () => {
    const user = await signUp();
    const auth = getAuth(app);
    await auth.setCustomUserClaims(user.uid, { beta: true });
    await identity.assign(user.uid, 'acme', 'viewer');
    expect((await auth.getUser(user.uid)).customClaims).to.deep.equal({ beta: true, tenant: 'acme', role: 'viewer' });
    await identity.remove(user.uid);
    expect((await auth.getUser(user.uid)).customClaims).to.deep.equal({ beta: true });
  });

  it('refuses garbage, a disabled account, and a sign-in revoked everywhere', async () => {
    expect(await rejectionOf(identity.verify('not.a.token'))).to.be.instanceOf(InvalidTokenError);
    const disabled = await signUp();
    await getAuth(app).updateUser(disabled.uid, { disabled: true });
    expect(await rejectionOf(identity.verify(disabled.idToken))).to.be.instanceOf(InvalidTokenError);
    const revoked = await signUp();
    // Revocation has one-second precision: sign out everywhere a second after signing in.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await getAuth(app).revokeRefreshTokens(revoked.uid);
    expect(await rejectionOf(identity.verify(revoked.idToken))).to.be.instanceOf(InvalidTokenError);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await identity.verify((await signIn(revoked)).idToken)).uid).to.equal(revoked.uid);
  });
});
