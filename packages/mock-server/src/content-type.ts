// The contract declares `application/json` as the only request body type. A body sent as
// anything else is refused before it is read, the way an ASP.NET endpoint bound to a JSON body
// refuses it, but in the vendor's 400 shape so that every refusal reads alike.

/** `application/json`, with any parameters (`charset=utf-8`), in any letter case. */
export function isJsonContentType(header: string | null): boolean {
  if (header === null) return false;
  const mediaType = header.split(';', 1)[0]?.trim().toLowerCase();
  return mediaType === 'application/json';
}

/** The 400 message for a body of another type, naming the type that was sent. */
export function contentTypeMessage(header: string | null): string {
  const sent = header === null ? 'no Content-Type' : `Content-Type ${JSON.stringify(header)}`;
  return `The request body must be sent as application/json; this request has ${sent}.`;
}
