"""Orders HTTP API: create and cancel orders.

The handler is synchronous; asyncio.run drives main() to completion. Anything
main() does not await is lost: a coroutine that is never awaited never runs.
"""
import asyncio
import json
import logging
import uuid

from notify import audit, notify_warehouse, publish_metric, send_receipt

logger = logging.getLogger()
logger.setLevel(logging.INFO)


def lambda_handler(event, context):
    return asyncio.run(main(event))


async def main(event):
    route = event["routeKey"]
    body = json.loads(event.get("body") or "{}")
    if route == "POST /orders":
        order = await create_order(body)
        return _response(201, order)
    if route == "POST /orders/{id}/cancel":
        order = await cancel_order(event["pathParameters"]["id"], body)
        return _response(200, order)
    return _response(404, {"message": f"no route for {route}"})


async def create_order(body):
    order = {"id": str(uuid.uuid4()), "email": body["email"], "lines": body["lines"]}
    records = _audit_records(order, "created")

    # BUG FF001: notify_warehouse is async; this only builds a coroutine that
    # never runs. The warehouse is never told; Python merely warns about it.
    notify_warehouse(order)

    # BUG FF002: binding the coroutine to `_` looks deliberate, but it is never
    # awaited, so it never runs: the customer gets no receipt.
    _ = send_receipt(order)

    # BUG FF003: a list of coroutines nobody gathers; not one audit item is written.
    [audit(r) for r in records]

    await publish_metric("OrdersCreated", 1)
    logger.info("order %s created", order["id"])
    return order


async def cancel_order(order_id, body):
    order = {"id": order_id, "email": body["email"], "lines": body["lines"]}
    records = _audit_records(order, "cancelled")

    # correct: the same call as in create_order, awaited.
    await notify_warehouse(order, action="release")

    # correct: bound to a name, then awaited through asyncio.gather below.
    receipt = send_receipt(order, kind="cancellation")
    metric = publish_metric("OrdersCancelled", 1)
    await asyncio.gather(receipt, metric)

    # correct: every audit coroutine is gathered and awaited.
    await asyncio.gather(*(audit(r) for r in records))

    logger.info("order %s cancelled", order_id)
    return order


def _audit_records(order, status):
    return [
        {"pk": f"ORDER#{order['id']}", "sk": f"{status}#{line['sku']}", "qty": line["qty"]}
        for line in order["lines"]
    ]


def _response(status, payload):
    return {"statusCode": status, "headers": {"content-type": "application/json"}, "body": json.dumps(payload)}
