"""A durable returns workflow: waits days for the parcel to come back before refunding."""
from aws_durable_execution_sdk_python import DurableContext, durable_execution, durable_step
from aws_durable_execution_sdk_python.config import Duration


@durable_step
def refund(step_context, order_id):
    return {"refunded": order_id}


@durable_execution
def handler(event, context: DurableContext):
    context.wait(Duration.from_days(3))
    return context.step(refund(event["orderId"]), name="refund")
