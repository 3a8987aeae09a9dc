import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { StorageError } from '../../src/core/errors.js'
import { PohStore } from '../../src/storage/store.js'

describe('PohStore.open on a damaged directory', () => {
  let dir: string

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poh-open-test-'))
  })

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('missing CURRENT file is refused without deleting tables', async () => {
    const path = join(dir, 'db')
    const store = await PohStore.open({ path, clock: { now: () => 1 } })
    await store.putMeta('probe', new Uint8Array([1]))
    await store.close()
    await rm(join(path, 'CURRENT'))
    const before = (await readdir(path)).sort()

    const err = await PohStore.open({ path, clock: { now: () => 1 } }).then(() => undefined, (e: unknown) => e)

    expect(err).to.be.instanceOf(StorageError)
    expect((err as StorageError).message).to.include('no CURRENT file')
    expect((err as StorageError).message).to.include(path)
    expect((await readdir(path)).sort()).to.deep.equal(before)
  })
})
