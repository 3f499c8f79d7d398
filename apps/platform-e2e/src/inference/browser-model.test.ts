import { createHash } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserModelSet, ErrorBody } from '@inkwell/contracts';
import { startPlatform, type Platform } from '../harness/platform';

let p: Platform;
beforeAll(async () => {
  p = await startPlatform();
});
afterAll(() => p.close());

const binary = (path: string, headers: Record<string, string> = {}) =>
  request(p.url)
    .get(path)
    .set(headers)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

describe('the active set for in-browser inference, through the gateway', () => {
  it('lets a guest read the descriptor and download each graph with its headers intact', async () => {
    const res = await request(p.url).get('/v1/models/active/browser');
    expect(res.status).toBe(200);
    const d = BrowserModelSet.parse(res.body);
    expect(d.model_id).toBe((await request(p.url).get('/v1/models/active')).body.model_id);
    for (const m of d.models) {
      const file = await binary(m.onnx_path);
      expect(file.status).toBe(200);
      expect(file.headers).toMatchObject({ 'content-type': 'application/octet-stream', 'content-length': String(m.onnx_bytes), etag: `"${m.sha256}"`, 'cache-control': 'public, max-age=31536000, immutable' });
      expect(createHash('sha256').update(file.body as Buffer).digest('hex')).toBe(m.sha256);
      const again = await binary(m.onnx_path, { 'If-None-Match': `"${m.sha256}"` });
      expect(again.status).toBe(304);
      expect((again.body as Buffer).length).toBe(0);
    }
  });

  it('answers an id outside the active set with 404 and the one error body', async () => {
    const res = await request(p.url).get('/v1/models/not-a-member/model.onnx');
    expect(res.status).toBe(404);
    expect(ErrorBody.parse(res.body)).toMatchObject({ code: 'not_found', request_id: res.headers['x-request-id'] });
  });
});
