/**
 * The incident fields the vendor's TriggerIncidentExternalAction sample searches on. Custom fields
 * are `CustomField1`, `CustomField2`, ...; anything else goes through the builder's `whereAny`.
 */
export const INCIDENT_FIELD_NAMES = [
  'Number',
  'Type',
  'Status',
  'Stage',
  'DataSource',
  'IncidentSource',
  'Connection',
  'IngestionType',
  'Category',
  'ExternalKey',
  'Title',
  'Severity',
  'CreatedUtcTime',
] as const;

/** An incident field from the vendor sample. */
export type IncidentFieldName = (typeof INCIDENT_FIELD_NAMES)[number];

/** A custom incident field: `CustomField1`, `CustomField2`, ... */
export type CustomFieldName = `CustomField${number}`;

/** A field name the builder's `where` accepts without the escape hatch. */
export type SearchFieldName = IncidentFieldName | CustomFieldName;

/** A date as D3 takes it: `{"$date": "yyyy-MM-ddTHH:mm:ssZ"}` (UTC, seconds precision). */
export interface SearchDate {
  $date: string;
}

/** A plain value: matched by equality. */
export type SearchScalar = string | number;

/** A comparison bound: a date (what the builder writes), or a number (the contract allows it). */
export type SearchBound = SearchDate | number;

/**
 * The operators for one field. One object holds one kind: `$regex` (with optional `$options`), or
 * `$in`, or comparisons (`$gt`/`$gte`/`$lt`/`$lte`, which combine into a range). The vendor
 * documents `$regex`, `$in`, and `$gt`/`$lt` with a `$date`; `$options`, `$gte` and `$lte` are
 * this SDK's extensions (see {@link EXTENSION_OPERATORS}), which a D3 installation may refuse.
 */
export interface SearchOperators {
  /** On its own, never beside other operators: the field is this instant (the vendor's form). */
  $date?: string;
  /** A regular expression the field must match. */
  $regex?: string;
  /** Extension. Regular expression flags: `i` (case-insensitive); also `m` and `s`. */
  $options?: string;
  /** The field must equal one of these values (none, for an empty list). */
  $in?: SearchScalar[];
  /** After this bound. */
  $gt?: SearchBound;
  /** Extension. At or after this bound. */
  $gte?: SearchBound;
  /** Before this bound. */
  $lt?: SearchBound;
  /** Extension. At or before this bound. */
  $lte?: SearchBound;
}

/**
 * One field's condition: a plain value, or an operator object (`{"$date": ...}` alone is a date:
 * the field is that instant).
 */
export type SearchCondition = SearchScalar | SearchOperators;

/** The operators the vendor does not show: taken and sent, with a warning that D3 may refuse them. */
export const EXTENSION_OPERATORS: readonly string[] = Object.freeze(['$options', '$gte', '$lte']);

/** The `Search Conditions` parameter of TriggerIncidentExternalAction: field name → condition. */
export type SearchConditions = Record<string, SearchCondition>;

/** The comparison operators, each of which takes a `{"$date": ...}`. */
export const DATE_OPERATORS = ['$gt', '$gte', '$lt', '$lte'] as const;

/** A comparison operator. */
export type DateOperator = (typeof DATE_OPERATORS)[number];
