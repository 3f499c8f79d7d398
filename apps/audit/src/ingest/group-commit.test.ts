import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit';

const within = <T>(ms: number, p: Promise<T>): Promise<T | 'timed out'> => Promise.race([p, new Promise<'timed out'>((r) => setTimeout(() => r('timed out'), ms).unref())]);

describe('GroupCommit', () => {
  it('writes an item added the moment an earlier one settles (the drain had already looked for more)', async () => {
    const written: string[][] = [];
    const batches = new GroupCommit<string>(async (items) => {
      written.push([...items]);
    }, 10);
    await batches.add('first');
    expect(await within(2000, batches.add('second'))).toBeUndefined();
    expect(written).toEqual([['first'], ['second']]);
  });
});
