import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArtifactRefused, listArtifacts, readArtifact, stageArtifact, writeArtifact } from './artifact-store';
import { listModelFolders, readModelFolder } from './model-folder';
import { artifactContent } from './testing/artifact-content';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'inkwell-artifacts-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('writing and reading artifact folders', () => {
  it('round-trips model.onnx, manifest.json and metrics.json', async () => {
    const content = artifactContent('m-1');
    const written = await writeArtifact(root, content);
    const read = await readArtifact(root, 'm-1');
    expect(read).toEqual(written);
    expect(read.manifest).toEqual(content.manifest);
    expect(read.metrics).toEqual(content.metrics);
    expect(readFileSync(read.modelPath).equals(content.onnx)).toBe(true);
    // The store leaves nothing else behind: no staging or old folders.
    expect(readdirSync(root)).toEqual(['m-1']);
  });

  it('replaces an existing folder of the same model whole', async () => {
    await writeArtifact(root, artifactContent('m-1'));
    const next = artifactContent('m-1');
    await writeArtifact(root, { ...next, manifest: { ...next.manifest, version: '2.0.0' } });
    expect((await readArtifact(root, 'm-1')).manifest.version).toBe('2.0.0');
    expect(readdirSync(root)).toEqual(['m-1']);
  });

  it('a write that dies before its rename leaves no visible folder, and a later write succeeds', async () => {
    const staged = await stageArtifact(root, artifactContent('m-1'));
    // The process "crashes" here: staged, fsynced, never renamed.
    expect(readdirSync(staged.staging).sort()).toEqual(['manifest.json', 'metrics.json', 'model.onnx']);
    expect(await listModelFolders(root)).toEqual([]);
    expect(await listArtifacts(root)).toEqual([]);
    expect(await readModelFolder(root, 'm-1')).toEqual({ folder: 'm-1', reason: 'no manifest.json' });
    // A reader handed the staging folder's own name refuses it too.
    const hidden = staged.staging.slice(root.length + 1);
    expect(await readModelFolder(root, hidden)).toMatchObject({ reason: expect.stringMatching(/not a folder name/) });
    await writeArtifact(root, artifactContent('m-1'));
    expect((await listArtifacts(root)).map((a) => a.manifest.model_id)).toEqual(['m-1']);
  });

  it('refuses to write content that is not a v1.1 manifest or a metrics report, leaving nothing behind', async () => {
    const c = artifactContent('m-1');
    await expect(writeArtifact(root, { ...c, manifest: { ...c.manifest, n_classes: 11 as 10 } })).rejects.toThrow();
    await expect(writeArtifact(root, { ...c, metrics: { ...c.metrics, accuracy: 2 } })).rejects.toThrow();
    expect(readdirSync(root)).toEqual([]);
  });

  it('lists valid artifacts by name and reports each refused folder with its reason', async () => {
    await writeArtifact(root, artifactContent('m-2'));
    await writeArtifact(root, artifactContent('m-1'));
    await writeArtifact(root, artifactContent('m-3'));
    rmSync(join(root, 'm-3', 'metrics.json'));
    const refused: { folder: string; reason: string }[] = [];
    const listed = await listArtifacts(root, { onRefused: (r) => refused.push(r) });
    expect(listed.map((a) => a.folder)).toEqual(['m-1', 'm-2']);
    expect(refused).toEqual([{ folder: 'm-3', reason: 'no metrics.json' }]);
  });

  it('readArtifact names the rule a folder broke: metrics missing, not JSON or not a report', async () => {
    await writeArtifact(root, artifactContent('m-1'));
    const metrics = join(root, 'm-1', 'metrics.json');
    rmSync(metrics);
    await expect(readArtifact(root, 'm-1')).rejects.toThrow(new ArtifactRefused({ folder: 'm-1', reason: 'no metrics.json' }));
    writeFileSync(metrics, '{');
    await expect(readArtifact(root, 'm-1')).rejects.toThrow(/metrics\.json is not JSON/);
    writeFileSync(metrics, '{}');
    await expect(readArtifact(root, 'm-1')).rejects.toThrow(/metrics\.json is not a valid metrics report/);
  });
});
