"""Nightly export: renders the day's orders and uploads the report.

Runs as ExportFunction (`exports.handler`).
"""
import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import boto3

s3 = boto3.client("s3")
BUCKET = os.environ.get("EXPORT_BUCKET", "exports")
UPLOADS = ThreadPoolExecutor(max_workers=4)


def handler(event, context):
    orders = event.get("orders", [])

    # BUG FF006: the analytics thread is never joined. The handler returns, the
    # environment freezes with the thread mid-request (daemon or not), and the
    # upload resumes, if ever, during a later invocation.
    threading.Thread(target=send_analytics, args=(len(orders),)).start()

    # BUG FF006: a job queued on the module-level pool that nothing waits for.
    UPLOADS.submit(upload, "latest.json", orders)

    # correct: the worker is joined in `finally`, on every path out.
    worker = threading.Thread(target=upload, args=("summary.json", summarise(orders)))
    worker.start()
    try:
        if not orders:
            return {"exported": 0}
        # correct: leaving the `with` block waits for every job submitted in it.
        with ThreadPoolExecutor() as pool:
            for order in orders:
                pool.submit(upload, f"orders/{order['id']}.json", order)
    finally:
        worker.join()
    return {"exported": len(orders)}


def summarise(orders):
    return {"count": len(orders)}


def upload(key, body):
    s3.put_object(Bucket=BUCKET, Key=key, Body=json.dumps(body))


def send_analytics(count):
    s3.put_object(Bucket=BUCKET, Key="analytics/count", Body=str(count))
