"""Nightly sales report: reads its settings at import, when the runtime loads the module."""
import json
import os

import boto3
import requests  # BUG RT007: requirements.txt does not list it, so the import fails at every cold start.
import yaml  # correct: PyYAML is in requirements.txt (the module and the distribution are named differently).

# BUG RT006: the template never sets REPORT_BUCKET, so this raises KeyError while the module loads.
BUCKET = os.environ["REPORT_BUCKET"]
# correct: the template sets ORDERS_TABLE for this function.
TABLE = os.environ["ORDERS_TABLE"]
# correct: a default when the variable is absent.
STAGE = os.environ.get("STAGE", "dev")

s3 = boto3.client("s3")


def handler(event, context):
    rates = requests.get("https://rates.example.com/today", timeout=5).json()
    layout = yaml.safe_load("columns: [day, total]")
    body = json.dumps({"table": TABLE, "stage": STAGE, "rates": rates, "layout": layout})
    s3.put_object(Bucket=BUCKET, Key="reports/latest.json", Body=body)
    return {"ok": True}
