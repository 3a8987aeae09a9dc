import { expect } from 'chai'
import { REDACTED_VALUE, childLogger, createLogger } from '../../src/log/logger.js'

/** Destination stream that keeps every chunk written to it. */
function memoryStream (): { write: (chunk: string) => void, text: () => string, records: () => Array<Record<string, unknown>> } {
  const chunks: string[] = []
  const text = (): string => chunks.join('')
  return {
    write: (chunk: string) => { chunks.push(chunk) },
    text,
    records: () => text().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>)
  }
}

describe('createLogger', () => {
  it('json redacts payload field', () => {
    const stream = memoryStream()
    const logger = createLogger({ level: 'info', format: 'json', destination: stream })

    logger.info({ payload: 'raw transaction bytes', txId: 'ab12' }, 'stored transaction')

    const [record] = stream.records()
    expect(record?.payload).to.equal(REDACTED_VALUE)
    expect(record?.txId).to.equal('ab12')
    expect(record?.msg).to.equal('stored transaction')
    expect(record?.level).to.equal('info')
    expect(stream.text()).not.to.include('raw transaction bytes')
  })

  it('json redacts nested secrets', () => {
    const stream = memoryStream()
    const logger = createLogger({ level: 'info', format: 'json', destination: stream })

    logger.info({ key: { secretKey: 'sk-1', publicKey: 'pk-1' }, config: { api: { token: 'tok-1' } } }, 'loaded')

    const text = stream.text()
    expect(text).not.to.include('sk-1')
    expect(text).not.to.include('tok-1')
    expect(text).to.include('pk-1')
  })

  it('level filters records', () => {
    const stream = memoryStream()
    const logger = createLogger({ level: 'warn', format: 'json', destination: stream })

    logger.info('hidden')
    logger.warn('shown')

    expect(stream.records().map((record) => record.msg)).to.deep.equal(['shown'])
  })

  it('pretty redacts payload field', () => {
    const stream = memoryStream()
    const logger = createLogger({ level: 'info', format: 'pretty', destination: stream })

    logger.info({ payload: 'raw transaction bytes' }, 'stored transaction')

    const text = stream.text()
    expect(text).to.include('stored transaction')
    expect(text).to.include(REDACTED_VALUE)
    expect(text).not.to.include('raw transaction bytes')
    expect(text).not.to.include('\u001b[')
  })
})

describe('childLogger', () => {
  it('child sets component and bindings', () => {
    const stream = memoryStream()
    const logger = createLogger({ level: 'info', format: 'json', destination: stream })

    childLogger(logger, 'repair', { peer: 'peer-1' }).info('request sent')

    const [record] = stream.records()
    expect(record?.component).to.equal('repair')
    expect(record?.peer).to.equal('peer-1')
  })

  it('component wins over bindings', () => {
    const stream = memoryStream()
    const logger = createLogger({ level: 'info', format: 'json', destination: stream })

    childLogger(logger, 'gossip', { component: 'other' }).info('subscribed')

    expect(stream.records()[0]?.component).to.equal('gossip')
  })
})
