"""Order status lookups behind the HTTP API (synchronous: nothing is left pending)."""
import json
import os

import boto3

ORDERS_TABLE = os.environ.get("ORDERS_TABLE", "orders")
_table = boto3.resource("dynamodb").Table(ORDERS_TABLE)


def handler(event, context):
    order_id = event["pathParameters"]["id"]
    item = _table.get_item(Key={"pk": f"ORDER#{order_id}", "sk": "STATUS"}).get("Item")
    return {"statusCode": 200 if item else 404, "body": json.dumps(item or {}, default=str)}


def order_history(event, context):
    order_id = event["pathParameters"]["id"]
    items = _table.query(
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": f"ORDER#{order_id}"},
    )["Items"]
    return {"statusCode": 200, "body": json.dumps(items, default=str)}
