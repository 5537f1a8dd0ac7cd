import { randomUUID } from 'node:crypto';

export interface SignedInUser {
  uid: string;
  email: string;
  password: string;
  idToken: string;
}

function authHost(): string {
  const host = process.env.FIREBASE_AUTH_EMULATOR_HOST;
  if (host === undefined) throw new Error('the Firebase Auth emulator is not running (start the test platform first)');
  return host;
}

async function identityToolkit(call: string, body: unknown): Promise<{ idToken: string; localId: string }> {
  // The emulator takes any API key; real projects would use the web app's key here.
  const response = await fetch(`http://${authHost()}/identitytoolkit.googleapis.com/v1/accounts:${call}?key=emulator`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { idToken: string; localId: string; error?: { message: string } };
  if (!response.ok) throw new Error(`auth emulator ${call}: ${answer.error?.message ?? response.status}`);
  return answer;
}

/** Signs a new user up with the Auth emulator, as a web app would; they belong to no tenant yet. */
export async function signUp(): Promise<SignedInUser> {
  const email = `user-${randomUUID().slice(0, 8)}@example.test`;
  const password = `pw-${randomUUID()}`;
  const { idToken, localId } = await identityToolkit('signUp', { email, password, returnSecureToken: true });
  return { uid: localId, email, password, idToken };
}

/** Signs the user in again, for a token that carries their current claims. */
export async function signIn(user: SignedInUser): Promise<SignedInUser> {
  const { idToken } = await identityToolkit('signInWithPassword', { email: user.email, password: user.password, returnSecureToken: true });
  return { ...user, idToken };
}
