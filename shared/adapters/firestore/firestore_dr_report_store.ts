import type { Firestore } from '@google-cloud/firestore';
import type { DrReportStore } from '../../ports/dr_report_store';
import { DrReportSchema, type DrReport } from '../../schemas/dr_report';

export class FirestoreDrReportStore implements DrReportStore {
  constructor(
    private readonly db: Firestore,
    private readonly collection = 'dr_reports',
  ) {}

  async save(report: DrReport): Promise<void> {
    await this.db.collection(this.collection).doc(report.id).set(DrReportSchema.parse(report));
  }

  async latest(): Promise<DrReport | null> {
    const snapshot = await this.db.collection(this.collection).orderBy('finishedAt', 'desc').limit(1).get();
    return snapshot.empty ? null : DrReportSchema.parse(snapshot.docs[0].data());
  }
}
