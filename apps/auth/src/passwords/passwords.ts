import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import type { Argon2Pool, Argon2Priority } from './argon2-pool';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => argon2.hash(password, OPTIONS);

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** Spent on unknown emails so a login's timing does not reveal whether the account exists. */
let dummyHash: Promise<string> | undefined;
export async function burnVerify(password: string): Promise<void> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(await dummyHash, password);
}

/** 18 random bytes as base64url: 24 characters, ~144 bits. */
export const temporaryPassword = (): string => randomBytes(18).toString('base64url');

/** The argon2 work of request paths, each run through the pool so none can starve sign-in. */
export class Passwords {
  constructor(private readonly pool: Argon2Pool) {}

  hash(password: string, priority: Argon2Priority = 'other'): Promise<string> {
    return this.pool.run(priority, () => hashPassword(password));
  }

  verify(hash: string, password: string, priority: Argon2Priority): Promise<boolean> {
    return this.pool.run(priority, () => verifyPassword(hash, password));
  }

  burnVerify(password: string): Promise<void> {
    return this.pool.run('sign-in', () => burnVerify(password));
  }
}
