import { registerSecret } from '../../redaction';
import { SecretUnavailableError, type SecretSource } from '../../ports/secrets';

/**
 * Secrets Cloud Functions mounts as environment variables (Terraform's secret_environment_variables): the name is
 * the variable's. The value is registered for redaction the moment it is read.
 */
export class EnvSecretSource implements SecretSource {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async get(name: string): Promise<string> {
    const value = this.env[name];
    if (value === undefined || value.trim() === '') throw new SecretUnavailableError(name, 'the environment variable is not set');
    registerSecret(value);
    return value.trim();
  }
}
