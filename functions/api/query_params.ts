import { z } from 'zod';
import { InvalidCursorError, type Page } from '../../shared/ports/pagination';
import { HttpError } from './http_error';

/** A query parameter that may repeat: always a list. */
export const repeated = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));

/** A page size from the query string. */
export function pageLimit(max: number, fallback: number) {
  return z.coerce.number().int().min(1).max(max).default(fallback);
}

/** A page read with the caller's cursor; a cursor that continues no list of theirs is 400 naming the field. */
export async function pageAt<T>(read: Promise<Page<T>>): Promise<Page<T>> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new HttpError(400, 'invalid_cursor', error.message, [{ field: 'cursor', message: error.message }]);
    throw error;
  }
}
