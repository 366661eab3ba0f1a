"""Durable order workflow: reserve every SKU, charge, wait for the warehouse, ship.

The handler is replayed from the top after every wait; completed steps return their checkpoints.
"""
import os
import time
import uuid

from aws_durable_execution_sdk_python import DurableContext, durable_execution, durable_step
from aws_durable_execution_sdk_python.config import Duration

from inventory import stock_level

REGION = os.environ.get("AWS_REGION", "us-east-1")  # correct: module level, read once per environment
reserved = []


@durable_step
def reserve(step_context, sku):
    reserved.append(sku)  # BUG DF011: lost when the step is replayed from its checkpoint
    return sku


@durable_step
def charge(step_context, order_id, amount):
    return {"order": order_id, "amount": amount, "charged_at": time.time()}  # correct: inside a step


@durable_execution
def handler(event, context: DurableContext):
    order_id = str(uuid.uuid4())  # BUG DF001: a different id on every replay
    payment_id = context.step(lambda _: str(uuid.uuid4()), name="mint-payment-id")  # correct

    for sku in set(event["skus"]):  # BUG DF007: set order differs between processes
        context.step(reserve(sku), name=f"reserve-{sku}")
    for sku in sorted(set(event["skus"])):  # correct: a stable order
        context.step(reserve(sku), name=f"confirm-{sku}")

    level = stock_level(event["skus"][0])
    checked = context.step(lambda _: stock_level(event["skus"][0]), name="stock")  # correct: I/O in a step

    print("charging", order_id)  # BUG DF019: printed again on every replay
    context.logger.info("charging", extra={"payment": payment_id})  # correct
    receipt = context.step(charge(payment_id, event["amount"]), name=f"charge-{time.time_ns()}")  # BUG DF005

    if os.getenv("FAST_LANE") == "1":  # BUG DF003
        context.step(lambda _: "fast", name="fast-lane")

    time.sleep(5)  # BUG DF004: the invocation sleeps again on every replay
    context.wait(Duration.from_minutes(5), name="warehouse")  # correct: a durable wait
    return {"order": order_id, "receipt": receipt, "level": level, "checked": checked, "region": REGION}
