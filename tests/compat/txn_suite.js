// kafkajs transactions against dq serve, in seed 003's style:
// producer.transaction(), send, sendOffsets, commit() and abort().
// Usage: node txn_suite.js BOOTSTRAP CASE. Prints one JSON line with the
// case's findings; a failure prints "kafkajs <case>: <API>: <error>" and
// exits 1.
const { Kafka, logLevel } = require('kafkajs')

const [bootstrap, name] = process.argv.slice(2)
const kafka = new Kafka({ clientId: 'dq-txn', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 5 } })

async function step(api, f) {
  try {
    return await f()
  } catch (e) {
    console.error(`kafkajs ${name}: ${api}: ${e.name}: ${e.message}`)
    process.exit(1)
  }
}

// Reads the topic from the start until `last` arrives; returns the values.
async function readAll(topic, readUncommitted, last) {
  const consumer = kafka.consumer({ groupId: `txn-reader-${readUncommitted}`, readUncommitted })
  await step('consumer connect', () => consumer.connect())
  await step('subscribe', () => consumer.subscribe({ topic, fromBeginning: true }))
  const values = []
  let done
  const finished = new Promise((resolve) => { done = resolve })
  await step('run', () => consumer.run({
    eachMessage: async ({ message }) => {
      const v = message.value.toString()
      values.push(v)
      if (v === last) done()
    },
  }))
  const timer = setTimeout(() => { console.error(`kafkajs ${name}: consume: timed out waiting for ${last}; got ${values}`); process.exit(1) }, 60000)
  await finished
  clearTimeout(timer)
  await consumer.disconnect()
  return values
}

const cases = {
  // Commit, abort, commit: read_committed sees the committed records only,
  // read_uncommitted all of them; offsets sent in the committed transaction
  // are the group's, those of the aborted one are not.
  async commitabort() {
    const topic = 'js-txn'
    const admin = kafka.admin()
    await step('admin connect', () => admin.connect())
    await step('createTopics', () => admin.createTopics({ topics: [{ topic, numPartitions: 1 }] }))
    const producer = kafka.producer({ transactionalId: 'js-txn-producer', maxInFlightRequests: 1, idempotent: true })
    await step('producer connect', () => producer.connect())

    let txn = await step('transaction', () => producer.transaction())
    await step('send', () => txn.send({ topic, messages: [{ value: 'committed-1' }, { value: 'committed-2' }] }))
    await step('sendOffsets', () => txn.sendOffsets({ consumerGroupId: 'js-txn-group', topics: [{ topic, partitions: [{ partition: 0, offset: '5' }] }] }))
    await step('commit', () => txn.commit())

    txn = await step('transaction', () => producer.transaction())
    await step('send', () => txn.send({ topic, messages: [{ value: 'aborted-1' }] }))
    await step('sendOffsets', () => txn.sendOffsets({ consumerGroupId: 'js-txn-group', topics: [{ topic, partitions: [{ partition: 0, offset: '9' }] }] }))
    await step('abort', () => txn.abort())

    txn = await step('transaction', () => producer.transaction())
    await step('send', () => txn.send({ topic, messages: [{ value: 'committed-3' }] }))
    await step('commit', () => txn.commit())
    await producer.disconnect()

    const committed = await readAll(topic, false, 'committed-3')
    const uncommitted = await readAll(topic, true, 'committed-3')
    const offsets = await step('fetchOffsets', () => admin.fetchOffsets({ groupId: 'js-txn-group', topics: [topic] }))
    await admin.disconnect()
    console.log(JSON.stringify({ committed, uncommitted, groupOffset: Number(offsets[0].partitions[0].offset) }))
  },
}

const run = cases[name]
if (!run) {
  console.error(`kafkajs ${name}: unknown case`)
  process.exit(2)
}
run().then(() => process.exit(0))
