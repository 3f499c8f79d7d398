import { describe, expect, it } from 'vitest';
import { ReadFields } from './read';

describe('ReadFields', () => {
  it('reads the boolean spellings FastAPI clients send, whatever their case', () => {
    for (const v of ['true', 'True', 'TRUE', '1', 'yes', 'on', ' On ', 't', 'Y']) expect(ReadFields.parse({ invert: v }).invert, v).toBe(true);
    for (const v of ['false', 'False', '0', 'no', 'OFF', 'f', 'n']) expect(ReadFields.parse({ invert: v }).invert, v).toBe(false);
  });

  it('treats an empty value as not given, and refuses anything else', () => {
    expect(ReadFields.parse({ center: '', visualize: '  ' })).toEqual({ center: undefined, visualize: undefined });
    for (const v of ['maybe', '2', 'truee']) expect(ReadFields.safeParse({ invert: v }).success, v).toBe(false);
    expect(ReadFields.safeParse({ invert: ['true', 'false'] }).success).toBe(false); // a repeated field
  });
});
