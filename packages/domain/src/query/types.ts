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
 * The operators D3 documents for one field. One object holds one kind: `$regex` (with optional
 * `$options`), or `$in`, or comparisons (`$gt`/`$gte`/`$lt`/`$lte`, which combine into a range).
 */
export interface SearchOperators {
  /** A regular expression the field must match. */
  $regex?: string;
  /** Regular expression flags: `i` (case-insensitive); the parser also accepts `m` and `s`. */
  $options?: string;
  /** The field must equal one of these values. */
  $in?: SearchScalar[];
  /** After this bound. */
  $gt?: SearchBound;
  /** At or after this bound. */
  $gte?: SearchBound;
  /** Before this bound. */
  $lt?: SearchBound;
  /** At or before this bound. */
  $lte?: SearchBound;
}

/** One field's condition: a plain value or an operator object. */
export type SearchCondition = SearchScalar | SearchOperators;

/** The `Search Conditions` parameter of TriggerIncidentExternalAction: field name → condition. */
export type SearchConditions = Record<string, SearchCondition>;

/** The comparison operators, each of which takes a `{"$date": ...}`. */
export const DATE_OPERATORS = ['$gt', '$gte', '$lt', '$lte'] as const;

/** A comparison operator. */
export type DateOperator = (typeof DATE_OPERATORS)[number];
