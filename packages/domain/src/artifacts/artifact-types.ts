/**
 * D3's system composite artifact types and their fields, in the vendor's casing and order
 * (SaveArtifactForIncident request sample). Detection, validation and the response-name mapping
 * all read this one table.
 */
export const COMPOSITE_ARTIFACT_FIELDS = {
  URL: ['URL'],
  User: ['UserName'],
  File: ['FileName', 'FilePath', 'SHA256', 'MD5', 'SHA1'],
  ExternalEndpoint: ['External_HostName', 'External_HostFQDN', 'External_IPAddress'],
  InternalEndpoint: ['Internal_HostName', 'Internal_HostFQDN', 'Internal_IPAddress'],
  EmailAddress: ['EmailAddress'],
  Process: [
    'ProcessGuid',
    'ProcessName',
    'ProcessID',
    'ProcessIntegrityLevel',
    'ProcessCurrentDirectory',
    'ProcessCommandLine',
    'ProcessOS',
  ],
  Service: ['ServiceId', 'ServiceName', 'ServiceStartMode', 'ServiceStatus'],
  Module: ['ModuleBaseAddr'],
  Driver: ['DriverBaseAddr'],
  Signature: ['Signature', 'SignatureID', 'SignatureSeverity', 'SignatureSource', 'SignatureType'],
  Certificate: ['CertName', 'CertSerial'],
  Registry: [
    'RegistryKey',
    'RegistryPath',
    'RegistryValueName',
    'RegistryValueData',
    'RegistryDetails',
  ],
} as const;

/** A system composite artifact type, as D3 names it in requests (`Artifact Type`). */
export type CompositeArtifactType = keyof typeof COMPOSITE_ARTIFACT_FIELDS;

/** The composite types in the vendor's order. */
export const COMPOSITE_ARTIFACT_TYPES = Object.freeze(
  Object.keys(COMPOSITE_ARTIFACT_FIELDS) as CompositeArtifactType[],
);

/** What detection can return: a composite type, or a user-defined artifact (one with `Identity`). */
export type DetectedArtifactType = CompositeArtifactType | 'UserDefined';

/** A field that belongs to exactly one composite type. */
export type CompositeArtifactField =
  (typeof COMPOSITE_ARTIFACT_FIELDS)[CompositeArtifactType][number];

/** `Reputation`: an attribute several types share; it never decides the type. */
export const SHARED_ARTIFACT_FIELDS = ['Reputation'] as const;

/** The fields of a user-defined artifact: `Identity` names it, `Additional` holds its own fields. */
export const USER_DEFINED_ARTIFACT_FIELDS = ['Identity', 'Additional'] as const;

/** Every field name D3 knows in `Artifact Fields`, in the vendor's casing. */
export type ArtifactFieldName =
  | CompositeArtifactField
  | (typeof SHARED_ARTIFACT_FIELDS)[number]
  | (typeof USER_DEFINED_ARTIFACT_FIELDS)[number];

/**
 * The field whose value names an artifact (the response's `ArtifactName`), most telling first:
 * the first non-empty one is the artifact's identity. The vendor response names the File by
 * `FileName` and the endpoints by their FQDN; the rest follow the same "name before number" rule.
 */
export const IDENTITY_FIELD_ORDER: Readonly<
  Record<DetectedArtifactType, readonly ArtifactFieldName[]>
> = {
  URL: ['URL'],
  User: ['UserName'],
  File: ['FileName', 'SHA256', 'SHA1', 'MD5', 'FilePath'],
  ExternalEndpoint: ['External_HostFQDN', 'External_HostName', 'External_IPAddress'],
  InternalEndpoint: ['Internal_HostFQDN', 'Internal_HostName', 'Internal_IPAddress'],
  EmailAddress: ['EmailAddress'],
  Process: ['ProcessGuid', 'ProcessName', 'ProcessID', 'ProcessCommandLine'],
  Service: ['ServiceName', 'ServiceId'],
  Module: ['ModuleBaseAddr'],
  Driver: ['DriverBaseAddr'],
  Signature: ['Signature', 'SignatureID'],
  Certificate: ['CertName', 'CertSerial'],
  Registry: ['RegistryKey', 'RegistryPath', 'RegistryValueName'],
  UserDefined: ['Identity'],
};

/**
 * Response type names (`contextData[].ArtifactType`) that differ from request ones. The vendor
 * response sample says `External_Endpoint`, `Internal_Endpoint` and `Email` where requests say
 * `ExternalEndpoint`, `InternalEndpoint` and `EmailAddress`; every other type keeps its name.
 */
const RESPONSE_NAME_OF = {
  ExternalEndpoint: 'External_Endpoint',
  InternalEndpoint: 'Internal_Endpoint',
  EmailAddress: 'Email',
} as const satisfies Partial<Record<CompositeArtifactType, string>>;

type RenamedType = keyof typeof RESPONSE_NAME_OF;

/** A composite type as D3 names it in SaveArtifactForIncident responses. */
export type ResponseArtifactType =
  Exclude<CompositeArtifactType, RenamedType> | (typeof RESPONSE_NAME_OF)[RenamedType];

/** Maps a request type name to the name responses use (`ExternalEndpoint` → `External_Endpoint`). */
export function toResponseArtifactType(type: CompositeArtifactType): ResponseArtifactType {
  return type in RESPONSE_NAME_OF
    ? RESPONSE_NAME_OF[type as RenamedType]
    : (type as ResponseArtifactType);
}

const REQUEST_TYPE_BY_LOWER_NAME = new Map<string, CompositeArtifactType>();
for (const type of COMPOSITE_ARTIFACT_TYPES) {
  REQUEST_TYPE_BY_LOWER_NAME.set(type.toLowerCase(), type);
  REQUEST_TYPE_BY_LOWER_NAME.set(toResponseArtifactType(type).toLowerCase(), type);
}

/**
 * Maps a type name from a response (or a request: both spellings are accepted, case-insensitively)
 * to the request name: `External_Endpoint` → `ExternalEndpoint`, `email` → `EmailAddress`.
 * Returns `null` for anything else, such as a user-defined artifact type's name.
 */
export function fromResponseArtifactType(name: string): CompositeArtifactType | null {
  return REQUEST_TYPE_BY_LOWER_NAME.get(name.toLowerCase()) ?? null;
}

/**
 * D3's system single-field artifact types (`Artifact Type` accepts them too), each with the
 * composite type and field that carry the same value.
 */
export const SINGLE_FIELD_ARTIFACT_TYPES = {
  Username: { compositeType: 'User', field: 'UserName' },
  Filename: { compositeType: 'File', field: 'FileName' },
  'File Hash SHA256': { compositeType: 'File', field: 'SHA256' },
  'File Hash MD5': { compositeType: 'File', field: 'MD5' },
  'File Hash SHA1': { compositeType: 'File', field: 'SHA1' },
  'Process Guid': { compositeType: 'Process', field: 'ProcessGuid' },
  'Signature Identity': { compositeType: 'Signature', field: 'SignatureID' },
  'Host Name': { compositeType: 'InternalEndpoint', field: 'Internal_HostName' },
  'Internal Endpoint Domain Name': {
    compositeType: 'InternalEndpoint',
    field: 'Internal_HostFQDN',
  },
  'Internal IP': { compositeType: 'InternalEndpoint', field: 'Internal_IPAddress' },
  'External Endpoint Domain Name': {
    compositeType: 'ExternalEndpoint',
    field: 'External_HostFQDN',
  },
  'External IP': { compositeType: 'ExternalEndpoint', field: 'External_IPAddress' },
  'Registry Key': { compositeType: 'Registry', field: 'RegistryKey' },
} as const satisfies Record<
  string,
  { compositeType: CompositeArtifactType; field: CompositeArtifactField }
>;

/** A system single-field artifact type, as D3 names it. */
export type SingleFieldArtifactType = keyof typeof SINGLE_FIELD_ARTIFACT_TYPES;

/** Every field of a composite type, keyed by its lower-case name: how keys match case-insensitively. */
export const FIELD_BY_LOWER_NAME: ReadonlyMap<
  string,
  { field: ArtifactFieldName; type: CompositeArtifactType | 'UserDefined' | null }
> = (() => {
  const map = new Map<
    string,
    { field: ArtifactFieldName; type: CompositeArtifactType | 'UserDefined' | null }
  >();
  for (const type of COMPOSITE_ARTIFACT_TYPES) {
    for (const field of COMPOSITE_ARTIFACT_FIELDS[type])
      map.set(field.toLowerCase(), { field, type });
  }
  for (const field of SHARED_ARTIFACT_FIELDS) map.set(field.toLowerCase(), { field, type: null });
  for (const field of USER_DEFINED_ARTIFACT_FIELDS) {
    map.set(field.toLowerCase(), { field, type: 'UserDefined' });
  }
  return map;
})();

/** Every field keyed by its exact vendor name: the allocation-free lookup tried first. */
export const FIELD_BY_NAME: ReadonlyMap<
  string,
  { field: ArtifactFieldName; type: CompositeArtifactType | 'UserDefined' | null }
> = new Map([...FIELD_BY_LOWER_NAME.values()].map((entry) => [entry.field, entry]));
