import { z } from 'zod';

const EMULATOR_VARIABLES = ['FIRESTORE_EMULATOR_HOST', 'PUBSUB_EMULATOR_HOST', 'FIREBASE_AUTH_EMULATOR_HOST', 'STORAGE_EMULATOR_HOST'] as const;

const ConfigSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('local'),
    projectId: z.string().min(1),
    firestoreEmulatorHost: z.string().min(1),
    pubsubEmulatorHost: z.string().min(1),
    dataDir: z.string().min(1),
    tenant: z.string().min(1),
  }),
  z.object({
    mode: z.literal('gcp'),
    projectId: z.string().min(1),
    mediaBucket: z.string().min(1),
    /** Where the DR check exports Firestore to. */
    backupBucket: z.string().min(1),
    /** The Firestore database the DR check restores into. */
    drScratchDatabase: z.string().min(1),
  }),
]);
export type Config = z.infer<typeof ConfigSchema>;
export type LocalConfig = Extract<Config, { mode: 'local' }>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the configuration once, at start-up. Local mode (the default) runs against Google's emulators and a
 * folder on disk; GCP mode refuses to start while any emulator variable is set, so nothing local-only can leak
 * into a deployment.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const mode = env.AIPROD_MODE ?? 'local';
  if (mode === 'gcp') {
    const leaked = EMULATOR_VARIABLES.filter((name) => env[name] !== undefined);
    if (leaked.length > 0) throw new ConfigError(`AIPROD_MODE=gcp must not run with emulator settings: ${leaked.join(', ')}`);
  }
  const candidate =
    mode === 'gcp'
      ? {
          mode,
          projectId: env.GOOGLE_CLOUD_PROJECT,
          mediaBucket: env.AIPROD_MEDIA_BUCKET,
          backupBucket: env.AIPROD_BACKUP_BUCKET,
          drScratchDatabase: env.AIPROD_DR_SCRATCH_DATABASE ?? 'aiprod-dr-scratch',
        }
      : {
          mode,
          projectId: env.GOOGLE_CLOUD_PROJECT ?? 'aiprod-local',
          firestoreEmulatorHost: env.FIRESTORE_EMULATOR_HOST,
          pubsubEmulatorHost: env.PUBSUB_EMULATOR_HOST,
          dataDir: env.AIPROD_DATA_DIR ?? '.aiprod/data',
          tenant: env.AIPROD_LOCAL_TENANT ?? 'local',
        };
  const parsed = ConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    const missing = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new ConfigError(`AIPROD_MODE=${mode}: missing or invalid settings: ${missing} (see README, "Configuration")`);
  }
  return parsed.data;
}
