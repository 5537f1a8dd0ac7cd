import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Storage } from '@google-cloud/storage';
import { GcsBlobStore } from '../../../../shared/adapters/gcp/gcs_blob_store';
import { FakeGcs } from '../../../support/fake_gcs';

describe('GcsBlobStore with the real Storage client against a local JSON API server', () => {
  const fake = new FakeGcs();
  let store: GcsBlobStore;
  let dir: string;

  before(async () => {
    const apiEndpoint = await fake.start();
    store = new GcsBlobStore(new Storage({ apiEndpoint, projectId: 'p' }).bucket('media'));
    dir = mkdtempSync(path.join(tmpdir(), 'gcs-'));
  });
  after(async () => {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads files and bytes and names them gs:// URIs', async () => {
    const file = path.join(dir, 'in.bin');
    writeFileSync(file, Buffer.from([0, 1, 2, 255]));
    expect(await store.putFile('jobs/a/in.bin', file, 'application/octet-stream')).to.equal('gs://media/jobs/a/in.bin');
    expect(fake.objects.get('media/jobs/a/in.bin')).to.deep.equal(Buffer.from([0, 1, 2, 255]));
    await store.putBytes('jobs/a/r.json', Buffer.from('{"a":1}'), 'application/json');
    expect(await store.exists('jobs/a/r.json')).to.equal(true);
    expect(await store.exists('jobs/a/none.json')).to.equal(false);
  });

  it('lists the keys under a folder and streams an object', async () => {
    await store.putBytes('jobs/list/delivery/b.mp4', Buffer.from('video'), 'video/mp4');
    await store.putBytes('jobs/list/delivery/a.srt', Buffer.from('subs'), 'text/plain');
    await store.putBytes('jobs/listing/other.txt', Buffer.from('not in the folder'), 'text/plain');
    expect(await store.list('jobs/list/delivery')).to.deep.equal(['jobs/list/delivery/a.srt', 'jobs/list/delivery/b.mp4']);
    expect(await store.list('jobs/list')).to.deep.equal(['jobs/list/delivery/a.srt', 'jobs/list/delivery/b.mp4']);
    const chunks: Buffer[] = [];
    for await (const chunk of store.openRead('jobs/list/delivery/b.mp4')) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).to.equal('video');
    expect(await store.sizeOf('jobs/list/delivery/b.mp4')).to.equal(5);
  });

  it('finds the key of each of its URIs, and no key for another bucket', () => {
    expect(store.keyOf(store.uri('jobs/a/in.bin'))).to.equal('jobs/a/in.bin');
    expect(store.keyOf('gs://other/jobs/a/in.bin')).to.equal(null);
    expect(store.keyOf('gs://media/')).to.equal(null);
  });

  it('copies inside the bucket, downloads, and deletes a folder', async () => {
    await store.putBytes('jobs/b/x/1.txt', Buffer.from('one'), 'text/plain');
    expect(await store.copy('jobs/b/x/1.txt', 'jobs/b/y/1.txt')).to.equal('gs://media/jobs/b/y/1.txt');
    const local = path.join(dir, 'out.txt');
    await store.getFile('jobs/b/y/1.txt', local);
    expect(readFileSync(local, 'utf8')).to.equal('one');
    await store.deletePrefix('jobs/b/x');
    expect(await store.exists('jobs/b/x/1.txt')).to.equal(false);
    expect(await store.exists('jobs/b/y/1.txt')).to.equal(true);
  });
});
