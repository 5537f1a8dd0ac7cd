// firestore.rules enforced by the Firestore emulator (started with --rules), exercised with the Firebase web SDK
// exactly as a browser client would: signed in through the Auth emulator, reading and listening to job documents.
import { expect } from 'chai';
import { deleteApp, initializeApp, type FirebaseApp } from 'firebase/app';
import { connectAuthEmulator, getAuth, signInWithEmailAndPassword, signOut } from 'firebase/auth';
import { collection, connectFirestoreEmulator, doc, getDoc, getDocs, getFirestore, onSnapshot, query, setDoc, updateDoc, where, type Firestore } from 'firebase/firestore';
import { jobInState } from './support/job_fixtures';
import { signUp, type SignedInUser } from './support/firebase_users';
import { OTHER_TENANT } from './support/principals';
import { testPlatform, type TestPlatform } from './support/root_hooks';

interface Client {
  app: FirebaseApp;
  db: Firestore;
}

let clients = 0;

/** A browser-like client, signed in as `user` (or anonymous without one). */
async function clientAs(platform: TestPlatform, user: SignedInUser | null): Promise<Client> {
  const app = initializeApp({ projectId: platform.projectId, apiKey: 'emulator', appId: 'rules-test' }, `rules-${++clients}`);
  const auth = getAuth(app);
  connectAuthEmulator(auth, `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}`, { disableWarnings: true });
  const db = getFirestore(app);
  const [host, port] = process.env.FIRESTORE_EMULATOR_HOST!.split(':');
  connectFirestoreEmulator(db, host, Number(port));
  if (user !== null) await signInWithEmailAndPassword(auth, user.email, user.password);
  return { app, db };
}

async function denied(operation: Promise<unknown>): Promise<string> {
  try {
    await operation;
  } catch (error) {
    return (error as { code?: string }).code ?? 'error';
  }
  return 'allowed';
}

describe('Firestore security rules on the emulator', () => {
  let platform: TestPlatform;
  let member: Client;
  let stranger: Client;
  let anonymous: Client;
  let ownJob: string;
  let otherJob: string;

  before(async () => {
    platform = await testPlatform();
    const viewer = await signUp();
    await platform.runtime.identity.assign(viewer.uid, platform.tenant, 'viewer');
    const noTenant = await signUp();
    // Claims ride in the token: sign in after they are set.
    member = await clientAs(platform, viewer);
    stranger = await clientAs(platform, noTenant);
    anonymous = await clientAs(platform, null);
    ownJob = (await jobInState(platform, platform.tenant, 'WAITING_APPROVAL')).id;
    otherJob = (await jobInState(platform, OTHER_TENANT, 'WAITING_APPROVAL')).id;
  });
  after(async () => {
    for (const client of [member, stranger, anonymous]) {
      await signOut(getAuth(client.app));
      await deleteApp(client.app);
    }
  });

  it("lets a member read a job of their own tenant, and no one else's", async () => {
    expect((await getDoc(doc(member.db, 'jobs', ownJob))).get('tenant')).to.equal(platform.tenant);
    expect(await denied(getDoc(doc(member.db, 'jobs', otherJob)))).to.equal('permission-denied');
    expect(await denied(getDoc(doc(stranger.db, 'jobs', ownJob)))).to.equal('permission-denied');
    expect(await denied(getDoc(doc(anonymous.db, 'jobs', ownJob)))).to.equal('permission-denied');
  });

  it("lets a member list their tenant's jobs, and refuses a query not bound to it", async () => {
    const own = await getDocs(query(collection(member.db, 'jobs'), where('tenant', '==', platform.tenant)));
    expect(own.docs.map((snapshot) => snapshot.id)).to.include(ownJob);
    expect(await denied(getDocs(query(collection(member.db, 'jobs'), where('tenant', '==', OTHER_TENANT))))).to.equal('permission-denied');
    expect(await denied(getDocs(collection(member.db, 'jobs')))).to.equal('permission-denied');
  });

  it('streams changes to a listening member as the pipeline makes them', async () => {
    const states: string[] = [];
    const seen = new Promise<void>((resolve, reject) => {
      const stop = onSnapshot(
        doc(member.db, 'jobs', ownJob),
        (snapshot) => {
          states.push(snapshot.get('state'));
          if (snapshot.get('state') === 'CANCELLED') {
            stop();
            resolve();
          }
        },
        reject,
      );
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const cancelled = await fetch(`${platform.apiUrl}/v1/jobs/${ownJob}/cancel`, { method: 'POST', headers: { 'x-api-key': platform.adminKey } });
    expect(cancelled.status).to.equal(200);
    await seen;
    expect(states[0]).to.equal('WAITING_APPROVAL');
  });

  it('refuses every client write, even to their own jobs', async () => {
    expect(await denied(updateDoc(doc(member.db, 'jobs', ownJob), { state: 'DELIVERED' }))).to.equal('permission-denied');
    expect(await denied(setDoc(doc(member.db, 'jobs', 'job_forged'), { tenant: platform.tenant }))).to.equal('permission-denied');
    expect((await platform.runtime.jobs.get(ownJob))?.state).not.to.equal('DELIVERED');
  });

  it('keeps every other collection away from clients', async () => {
    for (const name of ['api_keys', 'audit_log', 'batches', 'rate_limits', 'dr_reports']) {
      expect(await denied(getDocs(query(collection(member.db, name), where('tenant', '==', platform.tenant)))), name).to.equal('permission-denied');
    }
  });
});
