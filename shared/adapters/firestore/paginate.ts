import type { CollectionReference, Query } from '@google-cloud/firestore';
import { InvalidCursorError, type Page } from '../../ports/pagination';

/**
 * Reads one page of a tenant's documents: `after` is the id of the last document of the previous page, which must
 * be the tenant's own; one extra document is read to know whether another page follows.
 */
export async function pageOf<T extends { id: string }>(
  collection: CollectionReference,
  ordered: Query,
  page: { tenant: string; limit: number; after?: string },
  parse: (data: unknown) => T,
): Promise<Page<T>> {
  let selection = ordered;
  if (page.after !== undefined) {
    const cursor = await collection.doc(page.after).get();
    if (!cursor.exists || cursor.get('tenant') !== page.tenant) throw new InvalidCursorError();
    selection = selection.startAfter(cursor);
  }
  const snapshot = await selection.limit(page.limit + 1).get();
  const items = snapshot.docs.slice(0, page.limit).map((doc) => parse(doc.data()));
  return { items, next: snapshot.size > page.limit ? items[items.length - 1].id : null };
}
