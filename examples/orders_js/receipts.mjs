// ReceiptStreamFunction (`receipts.handler`): streams a receipt to the client with response streaming.
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';

const dynamo = new DynamoDBClient({});

async function recordDownload(orderId) {
  await dynamo.send(new PutItemCommand({
    TableName: process.env.AUDIT_TABLE,
    Item: { pk: { S: `receipt#${orderId}` }, sk: { S: new Date().toISOString() } },
  }));
}

async function loadReceipt(orderId) {
  // correct: the abort timer is cleared in `finally`, on every path out.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 3000);
  try {
    const response = await fetch(`${process.env.RECEIPTS_URL}/${orderId}`, { signal: controller.signal });
    return await response.text();
  } finally {
    clearTimeout(timer);
  }
}

export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const orderId = event.pathParameters.id;
  // correct: the sleep idiom from timers/promises, awaited.
  await sleep(5);
  responseStream.write(await loadReceipt(orderId));
  // BUG FF007: the callback runs after the handler resolves, when the environment is already frozen.
  setTimeout(() => recordDownload(orderId), 0);
  responseStream.end();
  // BUG FF009: started after the response ends and never awaited: the invocation finishes without it.
  recordDownload(orderId);
  // correct: after end(), awaited: the client has its receipt, and the work finishes before the freeze.
  await recordDownload(orderId);
});
