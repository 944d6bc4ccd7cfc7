// kafkajs against dq serve: the seed 003 producer calls, topic auto-creation,
// eachMessage and eachBatch consumers in a group, failover between two
// members, and admin calls. Usage: node kafkajs_suite.js BOOTSTRAP CASE
// Prints one JSON line with the case's findings; any failure prints
// "kafkajs <case>: <API>: <error>" and exits 1, so the CI log names the
// client, the API and the error.
const { Kafka, CompressionTypes, logLevel } = require('kafkajs')

const [bootstrap, name] = process.argv.slice(2)
const kafka = new Kafka({ clientId: 'dq-compat', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 3 } })

async function step(api, f) {
  try {
    return await f()
  } catch (e) {
    console.error(`kafkajs ${name}: ${api}: ${e.name}: ${e.message}`)
    process.exit(1)
  }
}

function waitFor(cond, what, ms = 60000) {
  return new Promise((resolve, reject) => {
    const start = Date.now()
    const tick = () => {
      if (cond()) return resolve()
      if (Date.now() - start > ms) return reject(new Error(`timed out waiting for ${what}`))
      setTimeout(tick, 20)
    }
    tick()
  })
}

const cases = {
  // seed 003: producer.send({topic, messages, acks, timeout, compression})
  async send() {
    const admin = kafka.admin()
    await step('connect', () => admin.connect())
    await step('createTopics', () => admin.createTopics({ topics: [{ topic: 'js-send', numPartitions: 1 }] }))
    const producer = kafka.producer({ allowAutoTopicCreation: false })
    await step('connect', () => producer.connect())
    const results = {}
    for (const acks of [-1, 1]) {
      const r = await step(`send acks=${acks}`, () => producer.send({ topic: 'js-send', messages: [{ key: 'k', value: `acks ${acks}` }], acks, timeout: 5000 }))
      results[acks] = Number(r[0].baseOffset)
    }
    const zero = await step('send acks=0', () => producer.send({ topic: 'js-send', messages: [{ value: 'acks 0' }], acks: 0, timeout: 5000 }))
    const gzip = await step('send gzip', () => producer.send({ topic: 'js-send', messages: [{ value: 'zipped' }], compression: CompressionTypes.GZIP }))
    await producer.disconnect()
    const offsets = await step('fetchTopicOffsets', () => admin.fetchTopicOffsets('js-send'))
    await admin.disconnect()
    console.log(JSON.stringify({ acksAll: results[-1], acksOne: results[1], acksZeroResponse: zero.length, gzip: Number(gzip[0].baseOffset), high: Number(offsets[0].high) }))
  },

  // allowAutoTopicCreation: true creates a topic; false gets an error.
  async autocreate() {
    const yes = kafka.producer({ allowAutoTopicCreation: true })
    await step('connect', () => yes.connect())
    await step('send (auto-create)', () => yes.send({ topic: 'js-auto', messages: [{ value: 'x' }] }))
    await yes.disconnect()
    const no = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 1 } })
    await step('connect', () => no.connect())
    let refused = null
    try {
      await no.send({ topic: 'js-missing', messages: [{ value: 'x' }] })
    } catch (e) {
      refused = e.message
    }
    await no.disconnect()
    const admin = kafka.admin()
    await step('connect', () => admin.connect())
    const topics = await step('listTopics', () => admin.listTopics())
    await admin.disconnect()
    console.log(JSON.stringify({ created: topics.includes('js-auto'), missingCreated: topics.includes('js-missing'), refused }))
  },

  // eachMessage and eachBatch consumers, each in its own group, read everything.
  async consume() {
    const admin = kafka.admin()
    await step('connect', () => admin.connect())
    await step('createTopics', () => admin.createTopics({ topics: [{ topic: 'js-read', numPartitions: 3 }] }))
    const producer = kafka.producer()
    await step('connect', () => producer.connect())
    const messages = Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: `v${i}` }))
    await step('send', () => producer.send({ topic: 'js-read', messages }))
    await producer.disconnect()
    const seen = { message: new Set(), batch: new Set() }
    const consumers = []
    for (const mode of ['message', 'batch']) {
      const consumer = kafka.consumer({ groupId: `js-${mode}` })
      consumers.push(consumer)
      await step('connect', () => consumer.connect())
      await step('subscribe', () => consumer.subscribe({ topic: 'js-read', fromBeginning: true }))
      const handler = mode === 'message'
        ? { eachMessage: async ({ message }) => { seen.message.add(message.value.toString()) } }
        : { eachBatch: async ({ batch }) => { for (const m of batch.messages) seen.batch.add(m.value.toString()) } }
      await step('run', () => consumer.run(handler))
    }
    await step('consume', () => waitFor(() => seen.message.size === 30 && seen.batch.size === 30, '30 records in each group'))
    const groups = await step('listGroups', () => admin.listGroups())
    const described = await step('describeGroups', () => admin.describeGroups(['js-message']))
    for (const c of consumers) await c.disconnect()
    const deleted = await step('deleteGroups', () => admin.deleteGroups(['js-batch']))
    await admin.disconnect()
    console.log(JSON.stringify({
      eachMessage: seen.message.size,
      eachBatch: seen.batch.size,
      groups: groups.groups.map(g => g.groupId).sort(),
      describedState: described.groups[0].state,
      describedMembers: described.groups[0].members.length,
      deleteGroupsError: deleted[0].errorCode,
    }))
  },

  // Two members split the partitions; when one leaves, the other resumes
  // from the committed offsets without reading committed records again.
  async failover() {
    const admin = kafka.admin()
    await step('connect', () => admin.connect())
    await step('createTopics', () => admin.createTopics({ topics: [{ topic: 'js-fail', numPartitions: 2 }] }))
    const producer = kafka.producer()
    await step('connect', () => producer.connect())
    const send = (n, tag) => producer.send({ topic: 'js-fail', messages: Array.from({ length: n }, (_, i) => ({ partition: i % 2, value: `${tag}${i}` })) })
    const members = {}
    const make = async (id) => {
      const consumer = kafka.consumer({ groupId: 'js-fo', sessionTimeout: 6000, heartbeatInterval: 500 })
      members[id] = { consumer, got: [], assigned: [] }
      consumer.on(consumer.events.GROUP_JOIN, e => { members[id].assigned = e.payload.memberAssignment['js-fail'] || [] })
      await step('connect', () => consumer.connect())
      await step('subscribe', () => consumer.subscribe({ topic: 'js-fail', fromBeginning: true }))
      await step('run', () => consumer.run({ eachMessage: async ({ message }) => { members[id].got.push(message.value.toString()) } }))
    }
    await make('a')
    await make('b')
    await step('rebalance', () => waitFor(() => members.a.assigned.length === 1 && members.b.assigned.length === 1, 'each member to own one partition'))
    await step('send', () => send(20, 'first-'))
    await step('consume', () => waitFor(() => members.a.got.length + members.b.got.length === 20, '20 records split between the members'))
    const split = [members.a.got.length, members.b.got.length]
    await members.b.consumer.disconnect()
    await step('rebalance', () => waitFor(() => members.a.assigned.length === 2, 'the survivor to own both partitions'))
    await step('send', () => send(10, 'second-'))
    await step('consume', () => waitFor(() => members.a.got.length === split[0] + 10, 'the survivor to read the new records'))
    const again = members.a.got.slice(split[0]).filter(v => v.startsWith('first-'))
    await members.a.consumer.disconnect()
    await producer.disconnect()
    await admin.disconnect()
    console.log(JSON.stringify({ split, readAgain: again.length, survivorNew: members.a.got.length - split[0] }))
  },

  // Admin: create, list (metadata), delete topics.
  async admin() {
    const admin = kafka.admin()
    await step('connect', () => admin.connect())
    await step('createTopics', () => admin.createTopics({ topics: [{ topic: 'js-admin', numPartitions: 4 }] }))
    const md = await step('fetchTopicMetadata', () => admin.fetchTopicMetadata({ topics: ['js-admin'] }))
    const listed = await step('listTopics', () => admin.listTopics())
    await step('deleteTopics', () => admin.deleteTopics({ topics: ['js-admin'] }))
    const after = await step('listTopics', () => admin.listTopics())
    await admin.disconnect()
    console.log(JSON.stringify({ partitions: md.topics[0].partitions.length, listed: listed.includes('js-admin'), afterDelete: after.includes('js-admin') }))
  },
}

if (!cases[name]) {
  console.error(`kafkajs: unknown case '${name}' (one of ${Object.keys(cases).join(', ')})`)
  process.exit(2)
}
cases[name]().then(() => process.exit(0), e => { console.error(`kafkajs ${name}: ${e.stack || e}`); process.exit(1) })
