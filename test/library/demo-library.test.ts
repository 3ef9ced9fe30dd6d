// The first-run demo library (app.openDemo): the shipped clips are copied beside the library
// database and scanned; calling again adds nothing and keeps what the person changed in the copy.
import assert from 'node:assert/strict';
import { chmodSync, cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { createContext } from '../../src-main/api/context.ts';
import { createDirectClient } from '../../src-main/api/direct.ts';
import { BettiError } from '../../src-main/api/errors.ts';
import { EventBus } from '../../src-main/api/events.ts';
import { createService } from '../../src-main/api/service.ts';
import { copyDemoLibrary, DEMO_FOLDER_NAME, shippedDemoDir } from '../../src-main/library/demo-library.ts';
import { repoRoot } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

const shipped = join(repoRoot, 'resources', 'demo');
const clips = readdirSync(shipped).filter((n) => n.endsWith('.ogg'));

function client(t: TestContext, dbPath: string) {
  const bus = new EventBus();
  const ctx = createContext({ dbPath, bus });
  t.after(() => ctx.close());
  return createDirectClient(createService(ctx), bus);
}

describe('the demo library', () => {
  test('ships four to six short clips under 1 MB in all, with their licence', () => {
    assert.ok(clips.length >= 4 && clips.length <= 6, `${clips.length} clips`);
    const bytes = clips.reduce((sum, n) => sum + statSync(join(shipped, n)).size, 0);
    assert.ok(bytes < 1_000_000, `${bytes} bytes`);
    const licence = readFileSync(join(shipped, 'LICENSE.md'), 'utf8');
    assert.match(licence, /CC0/);
    assert.match(licence, /MIT/);
    assert.match(licence, /fluid-soundfont-gm/);
    assert.equal(shippedDemoDir(), shipped, 'found from the module by walking up');
  });

  test('app.openDemo copies the clips beside the library and the scan finds them, tagged "Betti demo"', async (t) => {
    const dir = tempDir(t);
    const api = client(t, join(dir, 'library.db'));
    const demo = await api['app.openDemo']({});
    assert.equal(demo.folder, join(dir, DEMO_FOLDER_NAME));
    assert.equal(demo.copied, clips.length + 1, 'the clips and LICENSE.md');
    assert.deepEqual(readdirSync(demo.folder).sort(), [...clips, 'LICENSE.md'].sort());
    assert.equal(demo.scan.new, clips.length);
    assert.equal(demo.scan.errors, 0);
    const list = await api['library.list']({ search: 'Betti demo' });
    assert.equal(list.total, clips.length);
    assert.ok(list.tracks.every((tr) => tr.path.startsWith(demo.folder)), 'the library holds the copy, never the shipped files');
    assert.ok(list.tracks.some((tr) => tr.tags.title === 'Piano Waltz' && tr.tags.genres[0] === 'Classical'));
  });

  test('calling app.openDemo again adds no track and no file, keeps a clip the person changed and restores a deleted one', async (t) => {
    const dir = tempDir(t);
    const api = client(t, join(dir, 'library.db'));
    const first = await api['app.openDemo']({});
    const again = await api['app.openDemo']({});
    assert.equal(again.copied, 0);
    assert.equal(again.scan.new, 0);
    assert.equal(again.scan.unchanged, clips.length);
    assert.equal((await api['library.list']({})).total, clips.length);

    const changed = join(first.folder, clips[0]!);
    const theirs = readFileSync(join(first.folder, clips[2]!));
    writeFileSync(changed, theirs); // stands in for the person's edit of the copy
    rmSync(join(first.folder, clips[1]!));
    const third = await api['app.openDemo']({});
    assert.equal(third.copied, 1, 'only the deleted clip is copied again');
    assert.deepEqual(readFileSync(changed), theirs, 'the changed copy is not overwritten');
    assert.equal(third.scan.new, 0, 'both are the same tracks as before (read again: they changed on disk)');
    assert.equal(third.scan.changed, 2);
    assert.equal((await api['library.list']({})).total, clips.length);
  });

  test('copies of read-only installed clips are writable, so a safe write can change them', async (t) => {
    const dir = tempDir(t);
    const source = join(dir, 'installed');
    cpSync(shipped, source, { recursive: true });
    for (const n of readdirSync(source)) chmodSync(join(source, n), 0o444);
    const copy = await copyDemoLibrary(source, join(dir, 'copy'));
    for (const n of readdirSync(copy.folder)) assert.equal(statSync(join(copy.folder, n)).mode & 0o200, 0o200, `${n} is writable`);
  });

  test('a missing demo folder is a not-found error that says what to do', async (t) => {
    const dir = tempDir(t);
    await assert.rejects(copyDemoLibrary(join(dir, 'nowhere'), join(dir, 'copy')), (err: unknown) => err instanceof BettiError && err.kind === 'not-found' && /Reinstall Betti/.test(err.hint ?? ''));
  });
});
