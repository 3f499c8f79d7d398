import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PREPROCESS_HASH } from '@inkwell/imaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeArtifact } from './artifact-store';
import { isRefusal, listModelFolders, readModelFolder, readModelFolders } from './model-folder';
import { artifactContent } from './testing/artifact-content';

let root: string;
const reason = async (folder: string): Promise<string> => {
  const r = await readModelFolder(root, folder);
  return isRefusal(r) ? r.reason : 'accepted';
};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'inkwell-model-folders-'));
  await writeArtifact(root, artifactContent('good'));
  await writeArtifact(root, artifactContent('other'));
  const stale = artifactContent('stale');
  await writeArtifact(root, { ...stale, manifest: { ...stale.manifest, preprocess_hash: '0123456789abcdef' } });
  const previous = artifactContent('previous');
  // 1.2.0's hash, as stamped in the models shipped before 1.3.0 (models/*/manifest.json at 416c3a2).
  await writeArtifact(root, { ...previous, manifest: { ...previous.manifest, preprocess_hash: 'da11c6e2e46a4b69' } });
  await writeArtifact(root, artifactContent('no-graph'));
  rmSync(join(root, 'no-graph', 'model.onnx'));
  mkdirSync(join(root, 'no-manifest'));
  mkdirSync(join(root, 'not-json'));
  writeFileSync(join(root, 'not-json', 'manifest.json'), '{ nope');
  mkdirSync(join(root, 'old-schema'));
  writeFileSync(join(root, 'old-schema', 'manifest.json'), JSON.stringify({ schema_version: '1.0', model_id: 'old-schema' }));
  symlinkSync(join(root, 'good'), join(root, 'link'));
  mkdirSync(join(root, '.hidden'));
  writeFileSync(join(root, 'loose-file'), 'not a folder');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('reading model folders: the refusal rules', () => {
  it('accepts a complete folder with its manifest and graph', async () => {
    const r = await readModelFolder(root, 'good');
    if (isRefusal(r)) throw new Error(r.reason);
    expect([r.folder, r.manifest.model_id, r.manifest.preprocess_hash, r.onnx.length > 0]).toEqual(['good', 'good', PREPROCESS_HASH, true]);
  });

  it.each(['../good', 'good/../other', '.hidden', '', '/etc', 'a'.repeat(129)])('refuses %j: names cannot leave the models directory', async (name) => {
    expect(await reason(name)).toMatch(/^not a folder name/);
  });

  it('refuses a symbolic link even to a valid folder', async () => {
    expect(await reason('link')).toMatch(/symbolic link/);
  });

  it('refuses a folder without a manifest, with a manifest that is not JSON, or not v1.1', async () => {
    expect(await reason('no-manifest')).toBe('no manifest.json');
    expect(await reason('missing')).toBe('no manifest.json');
    expect(await reason('not-json')).toBe('manifest.json is not JSON');
    expect(await reason('old-schema')).toMatch(/^manifest is not a valid v1\.1 manifest: schema_version/);
  });

  it('refuses a model made for another preprocessing pipeline, unless the reader uses that one', async () => {
    expect(await reason('stale')).toMatch(/^preprocess_hash 0123456789abcdef differs from this service's pipeline/);
    expect(isRefusal(await readModelFolder(root, 'stale', { preprocessHash: '0123456789abcdef' }))).toBe(false);
  });

  it('accepts a model stamped by an earlier pipeline this one still serves (models are trained on raw MNIST), not an unknown one', async () => {
    expect(await reason('previous')).toBe('accepted');
    expect(await reason('stale')).toMatch(/^preprocess_hash 0123456789abcdef differs/);
    // A reader naming its pipeline accepts that one only.
    expect(await readModelFolder(root, 'previous', { preprocessHash: PREPROCESS_HASH })).toMatchObject({ reason: expect.stringMatching(/^preprocess_hash da11c6e2e46a4b69 differs/) });
  });

  it('refuses a folder without model.onnx', async () => {
    expect(await reason('no-graph')).toBe('no model.onnx');
  });

  it('reads a set, refusing a folder named twice and naming every bad one at once', async () => {
    const { files, refused } = await readModelFolders(root, ['good', 'stale', 'other', 'good', 'link']);
    expect(files.map((f) => f.folder)).toEqual(['good', 'other']);
    expect(refused.map((r) => [r.folder, r.reason.split(' ')[0]])).toEqual([
      ['stale', 'preprocess_hash'],
      ['good', 'named'],
      ['link', 'is'],
    ]);
  });

  it('lists sub-folders only, sorted, skipping hidden ones; a missing directory lists nothing', async () => {
    expect(await listModelFolders(root)).toEqual(['good', 'no-graph', 'no-manifest', 'not-json', 'old-schema', 'other', 'previous', 'stale']);
    expect(await listModelFolders(join(root, 'nope'))).toEqual([]);
  });
});
