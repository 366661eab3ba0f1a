'use strict';

// Audit trail for order events: one DynamoDB item per event.
const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, PutCommand } = require('@aws-sdk/lib-dynamodb');

const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const AUDIT_TABLE = process.env.AUDIT_TABLE || 'order-audit';

async function recordAudit(entry) {
  await ddb.send(new PutCommand({
    TableName: AUDIT_TABLE,
    Item: {
      pk: `ORDER#${entry.orderId || 'batch'}`,
      sk: `${new Date().toISOString()}#${entry.stage}`,
      ...entry,
    },
  }));
}

async function recordAudits(entries) {
  // correct: every write is gathered and awaited before this promise resolves.
  await Promise.all(entries.map((entry) => recordAudit(entry)));
}

module.exports = { recordAudit, recordAudits };
