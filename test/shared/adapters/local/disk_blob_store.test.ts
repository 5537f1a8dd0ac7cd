import { expect } from 'chai';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiskBlobStore } from '../../../../shared/adapters/local/disk_blob_store';
import { rejectionOf } from '../../../support/rejection';

describe('DiskBlobStore', () => {
  let root: string;
  let store: DiskBlobStore;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'blobs-'));
    store = new DiskBlobStore(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('stores files and bytes under their keys and returns file URIs', async () => {
    const source = path.join(root, 'source.txt');
    writeFileSync(source, 'hello');
    const uri = await store.putFile('jobs/a/file.txt', source, 'text/plain');
    expect(readFileSync(fileURLToPath(uri), 'utf8')).to.equal('hello');
    await store.putBytes('jobs/a/bytes.bin', Buffer.from([1, 2, 3]), 'application/octet-stream');
    expect(await store.exists('jobs/a/bytes.bin')).to.equal(true);
    expect(await store.exists('jobs/a/none')).to.equal(false);
  });

  it('copies, fetches and deletes by folder', async () => {
    await store.putBytes('jobs/a/x/1.txt', Buffer.from('one'), 'text/plain');
    await store.copy('jobs/a/x/1.txt', 'jobs/a/y/1.txt');
    const fetched = path.join(root, 'fetched.txt');
    await store.getFile('jobs/a/y/1.txt', fetched);
    expect(readFileSync(fetched, 'utf8')).to.equal('one');
    await store.deletePrefix('jobs/a/x');
    expect(await store.exists('jobs/a/x/1.txt')).to.equal(false);
    expect(await store.exists('jobs/a/y/1.txt')).to.equal(true);
  });

  it('leaves no partial files behind', async () => {
    await store.putBytes('jobs/b/f.bin', Buffer.alloc(1024), 'application/octet-stream');
    expect(readdirSync(path.join(root, 'jobs/b'))).to.deep.equal(['f.bin']);
  });

  it('finds the key of each of its URIs, and no key for a URI outside the store', async () => {
    const uri = await store.putBytes('jobs/a b/r.json', Buffer.from('{}'), 'application/json');
    expect(store.keyOf(uri)).to.equal('jobs/a b/r.json');
    expect(store.keyOf(`file://${path.join(path.dirname(root), 'elsewhere.txt')}`)).to.equal(null);
    expect(store.keyOf('gs://media/jobs/a/r.json')).to.equal(null);
  });

  it('lists the keys under a folder, sorted, without partial files, and streams an object', async () => {
    await store.putBytes('jobs/a/delivery/b.mp4', Buffer.from('video'), 'video/mp4');
    await store.putBytes('jobs/a/delivery/a.srt', Buffer.from('subs'), 'text/plain');
    await store.putBytes('jobs/a/renders/x.wav', Buffer.from('wav'), 'audio/wav');
    writeFileSync(path.join(root, 'jobs/a/delivery/c.mp4.1.2.partial'), 'half');
    expect(await store.list('jobs/a/delivery')).to.deep.equal(['jobs/a/delivery/a.srt', 'jobs/a/delivery/b.mp4']);
    expect(await store.list('jobs/a')).to.have.length(3);
    expect(await store.list('jobs/none')).to.deep.equal([]);
    const chunks: Buffer[] = [];
    for await (const chunk of store.openRead('jobs/a/delivery/b.mp4')) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).to.equal('video');
    expect(await store.sizeOf('jobs/a/delivery/b.mp4')).to.equal(5);
  });

  it('refuses keys that climb out of the store', async () => {
    const error = await rejectionOf(store.putBytes('../outside.txt', Buffer.from('x'), 'text/plain'));
    expect(error.message).to.contain('escapes the store');
  });
});
