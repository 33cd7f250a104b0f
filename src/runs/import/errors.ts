/**
 * Typed import failures: the whole file cannot be imported (a bad row is a RowRejection,
 * not an error). Each carries a machine-readable `code` and keeps `cause`.
 */

export type ImportErrorCode =
  /** The path does not exist. */
  | 'file_not_found'
  /** The path is a directory, a binary file, a spreadsheet, JSON or XML. */
  | 'not_csv'
  /** The file is empty, or its first row has no non-empty cell. */
  | 'no_header'
  /** No column maps to a street or one-string address (see hasAddressColumn). */
  | 'no_address_column'
  /** A `--map` option is not `column=field`, or names an unknown column or field. */
  | 'bad_map_option'
  /** The file is CSV but breaks the format mid-way (an unclosed quote); `line` says where. */
  | 'malformed_csv'
  /** The operating system refused the read (permissions, I/O error). */
  | 'read_failed';

export class ImportError extends Error {
  override readonly name = 'ImportError';
  constructor(
    readonly code: ImportErrorCode,
    message: string,
    readonly details: { path?: string; line?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
  }
}
