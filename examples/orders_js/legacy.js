// LegacyWebhookFunction (`legacy.handler`): an old callback-style handler that keeps its DB pool warm.
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');

const sqs = new SQSClient({});

function forward(body) {
  return sqs.send(new SendMessageCommand({ QueueUrl: process.env.SHIPPING_QUEUE_URL, MessageBody: body }));
}

// lambdalint-ignore RT003 -- a legacy callback handler (Node.js 22 and earlier); RT003 is its own finding
exports.handler = (event, context, callback) => {
  // Respond without waiting for the event loop to drain (to keep connections open across invocations)...
  context.callbackWaitsForEmptyEventLoop = false;
  // BUG FF008: ...so this send is still pending when the runtime responds; it resumes, if ever, later.
  forward(event.body);
  // correct: the response waits for this one (callback runs only once it is sent).
  forward(event.body).then(() => callback(null, { statusCode: 202 }), callback);
};
