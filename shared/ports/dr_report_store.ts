import type { DrReport } from '../schemas/dr_report';

/** Where the DR check's reports are kept (`dr_reports` in Firestore). */
export interface DrReportStore {
  /** Writes the report under its id (a check run again for the same firing replaces its report). */
  save(report: DrReport): Promise<void>;
  /** The report that finished last, or null before the first. */
  latest(): Promise<DrReport | null>;
}
