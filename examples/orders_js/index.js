'use strict';

// Order events consumer (SQS): audits every event, forwards paid orders to
// shipping, and keeps the analytics queue and a partner webhook informed.
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const { recordAudit, recordAudits } = require('./lib/audit.js');

const sqs = new SQSClient({});
const SHIPPING_QUEUE_URL = process.env.SHIPPING_QUEUE_URL;
const ANALYTICS_QUEUE_URL = process.env.ANALYTICS_QUEUE_URL;
const PARTNER_WEBHOOK_URL = process.env.PARTNER_WEBHOOK_URL;

function enqueueShipment(order) {
  // correct: the promise is returned, so the caller owns it (and awaits it).
  return sqs.send(new SendMessageCommand({
    QueueUrl: SHIPPING_QUEUE_URL,
    MessageBody: JSON.stringify({ orderId: order.id, lines: order.lines }),
  }));
}

async function notifyPartner(summary) {
  // correct: awaited; a failed call fails the batch and SQS retries it.
  const res = await fetch(PARTNER_WEBHOOK_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(summary),
  });
  if (!res.ok) throw new Error(`partner webhook answered ${res.status}`);
}

exports.handler = async (event) => {
  const orders = event.Records.map((record) => JSON.parse(record.body));

  // BUG FF003: forEach ignores the promises its async callback returns; the
  // handler returns before these writes settle and the environment freezes.
  event.Records.forEach(async (record) => {
    await recordAudit({ orderId: JSON.parse(record.body).id, stage: 'received' });
  });

  // correct: the per-record work is gathered and awaited.
  await Promise.all(event.Records.map(async (record) => {
    const order = JSON.parse(record.body);
    if (order.status === 'PAID') await enqueueShipment(order);
  }));

  // BUG FF001: nothing waits for this send; the response is posted, the
  // environment freezes, and the message may never leave.
  sqs.send(new SendMessageCommand({
    QueueUrl: ANALYTICS_QUEUE_URL,
    MessageBody: JSON.stringify({ type: 'orders.processed', count: orders.length }),
  }));

  // BUG FF001: .catch handles the error, not the timing; the handler still
  // returns before the write settles.
  recordAudit({ stage: 'batch', count: orders.length }).catch(console.error);

  // BUG FF002: the request is started and bound, but `heartbeat` is never
  // awaited; the handler returns before it settles and the environment freezes.
  const heartbeat = fetch(`${PARTNER_WEBHOOK_URL}/heartbeat`, { method: 'POST' });

  await notifyPartner({ processed: orders.map((order) => order.id) });
  return { batchItemFailures: [] };
};

// Replays audit entries collected by an operator (invoked manually).
// It is a handler only because template.yaml names it (`Handler: index.replay`).
exports.replay = async (event) => {
  await recordAudits(event.entries);
  // BUG FF001: the summary entry is written without `await`; the handler
  // returns first and the write freezes with the environment.
  recordAudit({ stage: 'replayed', count: event.entries.length });
  return { replayed: event.entries.length };
};
