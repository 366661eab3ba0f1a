"""Durable payment workflow, invoked by the approval workflow."""
from aws_durable_execution_sdk_python import DurableContext, durable_execution


@durable_execution
def handler(event, context: DurableContext):
    return context.step(lambda _: {"paid": event["total"]}, name="capture")
