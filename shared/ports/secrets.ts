/** Where secret values (API keys, service-account keys) come from. Values must never be logged. */
export interface SecretSource {
  /** The secret's value; rejects with SecretUnavailableError when it is not there. */
  get(name: string): Promise<string>;
}

export class SecretUnavailableError extends Error {
  constructor(name: string, why: string) {
    super(`secret ${name} is not available: ${why}`);
    this.name = 'SecretUnavailableError';
  }
}
