// Limits of share links, in one place (README "Sharing" explains them).

/**
 * Longest link the Share button makes with a capture embedded in it (the whole URL, in characters).
 * RFC 9110 §4.1 recommends that every URI consumer handle at least 8000 octets; chat and mail tools keep
 * links of this length intact (Slack messages hold 40,000 characters, Microsoft Teams about 28 KB,
 * Mattermost 16,383, Gmail and Thunderbird have no practical limit). Tools with 2,000-character limits
 * (Discord messages, Outlook's legacy 2,083-character hyperlinks) would cut them: a fingerprint or
 * `src` link is short and survives those.
 */
export const SHARE_URL_LIMIT = 8000;

/**
 * Most bytes an embedded capture (`cap=`) may decompress to. A link within SHARE_URL_LIMIT carries at
 * most ~6 KB of deflate data, which cannot expand beyond ~6 MiB (deflate tops out near 1032:1); the
 * decompressor stops reading as soon as the output passes this limit, so a crafted link (a "zip bomb")
 * costs at most this much memory.
 */
export const MAX_EMBEDDED_BYTES = 16 * 1024 * 1024;

/** Longest fragment accepted at all (Chromium's own URL limit is 2 MiB). */
export const MAX_FRAGMENT_CHARS = 2 * 1024 * 1024;

/** Longest `src=` URL and `name=`; longest display filter `f=`. */
export const MAX_SRC_CHARS = 4096;
export const MAX_NAME_CHARS = 255;
export const MAX_FILTER_CHARS = 4096;

/**
 * Largest capture fetched for a `src=` link. The body is held as a Blob (Chromium keeps large Blobs on
 * disk) and read by slices in the worker like a dropped file; past this many bytes the download stops.
 */
export const MAX_FETCH_BYTES = 2 * 1024 * 1024 * 1024;

/**
 * SHA-256 fingerprints: WebCrypto's digest() takes the whole input at once (no incremental API), so
 * files up to this size are read into memory and hashed natively; larger files are hashed
 * incrementally, slice by slice, by our own SHA-256 (constant memory, slower).
 */
export const SUBTLE_HASH_MAX_BYTES = 128 * 1024 * 1024;
