"""Durable approval workflow: price the order, ask a manager, wait for the answer, pay.

Durable operations are checkpointed; the handler is replayed from the top after every wait.
"""
from aws_durable_execution_sdk_python import DurableContext, durable_execution, durable_step
from aws_durable_execution_sdk_python.config import Duration

from settings import APPROVAL_CONFIG


def price(order):
    return {"total": sum(item["price"] for item in order["items"])}


@durable_step
def quote(step_context, order):
    return {"total": sum(item["price"] for item in order["items"])}


@durable_step
def notify_manager(step_context, callback_id, order_id):
    return {"sent": callback_id, "order": order_id}


def record_item(ctx: DurableContext, item):
    return ctx.step(lambda _: item["sku"], name=f"record-{item['sku']}")


@durable_execution
def handler(event, context: DurableContext):
    estimate = context.step(price(event), name="estimate")  # BUG DF015: `price` runs now, on every replay
    total = context.step(quote(event), name="quote")  # correct: a @durable_step factory

    approval = context.create_callback(name="approval", config=APPROVAL_CONFIG)  # correct: timeout from settings
    context.step(notify_manager(approval.callback_id, event["id"]), name="notify")
    review = context.create_callback(name="review")  # BUG DF016: no timeout, waits up to a year
    audit = context.create_callback(name="audit", config=APPROVAL_CONFIG)  # BUG DF012: never waited for
    context.step(notify_manager(audit.callback_id, event["id"]), name="notify-audit")

    try:
        context.wait(Duration.from_minutes(5), name="cool-off")  # BUG DF014: the bare except swallows the wait
    except:  # noqa: E722
        pass
    try:
        context.wait(Duration.from_minutes(5), name="settle")  # correct: `except Exception` lets it suspend
    except Exception:
        context.logger.warning("settle failed")

    def check_stock(step_context):
        return context.step(lambda _: len(event["items"]), name="count")  # BUG DF009: an operation in a step

    def pack(child: DurableContext):
        return child.step(lambda _: len(event["items"]), name="count")  # correct: a child context

    context.step(check_stock, name="check-stock")
    context.run_in_child_context(pack, name="pack")
    context.map(event["items"], lambda child, item, i, items: record_item(context, item), name="record")  # BUG DF010
    context.map(event["items"], lambda child, item, i, items: record_item(child, item), name="record-2")  # correct

    paid = context.invoke("payments", {"total": total}, name="pay")  # BUG DF017: unqualified target
    ledger = context.invoke("ledger:live", {"paid": paid}, name="ledger")  # correct: an alias
    return {"estimate": estimate, "answer": approval.result(), "review": review.result(), "ledger": ledger}
