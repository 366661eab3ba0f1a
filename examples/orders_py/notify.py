"""Async notification helpers shared by the orders functions.

Every function here is a coroutine function: calling one only creates a
coroutine object. Nothing is sent until somebody awaits it.
"""
import json
import os

import aioboto3

_session = aioboto3.Session()

WAREHOUSE_TOPIC_ARN = os.environ.get("WAREHOUSE_TOPIC_ARN", "")
AUDIT_TABLE = os.environ.get("AUDIT_TABLE", "order-audit")
RECEIPT_SENDER = os.environ.get("RECEIPT_SENDER", "orders@example.com")


async def send_receipt(order, kind="confirmation"):
    """E-mail the customer a receipt through SES."""
    async with _session.client("sesv2") as ses:
        await ses.send_email(
            FromEmailAddress=RECEIPT_SENDER,
            Destination={"ToAddresses": [order["email"]]},
            Content={
                "Simple": {
                    "Subject": {"Data": f"Order {order['id']}: {kind}"},
                    "Body": {"Text": {"Data": _summary(order)}},
                }
            },
        )


async def notify_warehouse(order, action="reserve"):
    """Tell the warehouse to reserve (or release) the stock for an order."""
    async with _session.client("sns") as sns:
        await sns.publish(
            TopicArn=WAREHOUSE_TOPIC_ARN,
            Message=json.dumps({"action": action, "order": order}),
        )


async def audit(record):
    """Write one audit item per order line."""
    async with _session.resource("dynamodb") as dynamodb:
        table = await dynamodb.Table(AUDIT_TABLE)
        await table.put_item(Item=record)


async def publish_metric(name, value):
    """CloudWatch PutMetricData over the network.

    fulfilment.publish_metric is the synchronous Embedded Metric Format twin.
    """
    async with _session.client("cloudwatch") as cloudwatch:
        await cloudwatch.put_metric_data(
            Namespace="Orders",
            MetricData=[{"MetricName": name, "Value": value, "Unit": "Count"}],
        )


def _summary(order):
    lines = "\n".join(f"{line['qty']} x {line['sku']}" for line in order["lines"])
    return f"Thank you for order {order['id']}.\n\n{lines}\n"
