"""Fulfilment worker: consumes the orders queue and reserves stock.

The handler is synchronous; asyncio.run drives process_batch(). When that
coroutine returns, asyncio.run cancels every task still pending.
"""
import asyncio
import json
import os
import time

import httpx

from notify import notify_warehouse

PRICES_URL = os.environ.get("PRICES_URL", "https://prices.example.com/v1/catalogue")
RATES_URL = os.environ.get("RATES_URL", "https://rates.example.com/v1/latest")

_prices = {}
_rates = {}


def handler(event, context):
    return asyncio.run(process_batch(event["Records"]))


async def process_batch(records):
    orders = [json.loads(record["body"]) for record in records]

    # BUG FF005: the task is dropped. asyncio.run cancels it as soon as
    # process_batch returns, so the price cache is never warmed (outside
    # asyncio.run it would be frozen mid-request with the environment).
    asyncio.create_task(warm_cache())

    # correct: the task is kept and awaited before the coroutine returns.
    rates = asyncio.create_task(refresh_rates())

    # correct: the TaskGroup waits for every task it started when the block exits.
    async with asyncio.TaskGroup() as tg:
        for order in orders:
            tg.create_task(reserve_stock(order))

    await rates

    # correct: this is the synchronous publish_metric defined below (EMF on
    # stdout), not the async one in notify.py; there is nothing to await.
    publish_metric("OrdersReserved", len(orders))
    return {"batchItemFailures": []}


async def reserve_stock(order):
    rate = _rates.get(order.get("currency", "EUR"), 1.0)
    for line in order["lines"]:
        line["unit_price"] = _prices.get(line["sku"])
        line["rate"] = rate
    await notify_warehouse(order, action="reserve")


async def warm_cache():
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(PRICES_URL)
        response.raise_for_status()
        _prices.update(response.json())


async def refresh_rates():
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(RATES_URL)
        response.raise_for_status()
        _rates.update(response.json())


def publish_metric(name, value):
    """Embedded Metric Format: one JSON line on stdout, written synchronously."""
    print(json.dumps({
        "_aws": {
            "Timestamp": int(time.time() * 1000),
            "CloudWatchMetrics": [{
                "Namespace": "Orders",
                "Dimensions": [[]],
                "Metrics": [{"Name": name, "Unit": "Count"}],
            }],
        },
        name: value,
    }))
