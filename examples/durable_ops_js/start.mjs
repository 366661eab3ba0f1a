// Starts a shipping workflow for every order on the queue.
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";

const lambda = new LambdaClient({});
const WORKFLOW = "shipping-workflow";

export const handler = async (event) => {
  for (const record of event.Records) {
    const order = JSON.parse(record.body);
    await lambda.send(new InvokeCommand({ FunctionName: WORKFLOW, InvocationType: "Event", Payload: record.body })); // BUG DF017 and DF018
    await lambda.send(new InvokeCommand({ // correct: an alias and an execution name
      FunctionName: WORKFLOW,
      Qualifier: "live",
      InvocationType: "Event",
      DurableExecutionName: `shipping-${order.id}`,
      Payload: record.body,
    }));
  }
};
