import { createHash } from 'node:crypto';

/** The hex SHA-256 of a file's bytes: what the registry records and an import reports. */
export const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
