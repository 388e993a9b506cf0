// The longest value Tessera keeps in a unique index (an alias, a linked provider's user id, a
// developer user identifier, a sync record key). PostgreSQL refuses a b-tree entry over ~2,700
// bytes, while Cognito's models allow up to 2,048 characters (1,024 for some), which in UTF-8 can
// be four times as many bytes. Longer values are refused before any write, on both engines alike,
// with the calling operation's own error.
export const MAX_INDEXED_BYTES = 2048;

/** Whether `value` fits a unique index (MAX_INDEXED_BYTES of UTF-8). */
export const fitsIndex = (value: string): boolean => Buffer.byteLength(value, 'utf8') <= MAX_INDEXED_BYTES;

/**
 * Whether an alias value (e-mail, preferred_username) fits, as written and lower-cased: a
 * case-insensitive pool keeps it lower-cased, and some letters grow when lower-cased (İ, Ⱥ).
 */
export const fitsIndexAsAlias = (value: string): boolean => fitsIndex(value) && fitsIndex(value.toLowerCase());
