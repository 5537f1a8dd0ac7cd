/** One page of a list, newest first, and the cursor to the next page (null on the last). */
export interface Page<T> {
  items: T[];
  next: string | null;
}

/** A cursor naming something that is gone or belongs to another tenant. */
export class InvalidCursorError extends Error {
  constructor() {
    super('the cursor does not continue any list of yours; start again without it');
    this.name = 'InvalidCursorError';
  }
}
