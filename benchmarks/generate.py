"""A deterministic, realistic serverless monorepo of about N lines, for the benchmark.

The tree looks like what lambdalint meets in the field: services in Python,
JavaScript, TypeScript and TSX, each with Lambda handlers, a service class,
event listeners (Node `EventEmitter`, NestJS `@OnEvent`), a durable workflow
(`withDurableExecution` / `@durable_execution`), a SAM template, utility
modules and tests, importing one another and a shared library. Most code is
plain synchronous code (as in real projects); a seeded share of the async
call sites is written wrong on purpose. Each planted bug is recorded as
(path, line, code) so a test can check that lambdalint finds exactly those.

Usage: python benchmarks/generate.py OUT --lines 100000 [--seed 0]
"""
from __future__ import annotations

import argparse
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

# A bug marker at the end of a template line: stripped from the output, recorded in the manifest.
_MARK = re.compile(r"\s*⟪(\w+)⟫$")
# Lines each kind of service adds, roughly, before its filler; used to size the tree.
_DOMAINS = ("orders", "payments", "inventory", "shipping", "billing", "users", "notifications", "catalog",
            "reviews", "search", "accounts", "reports", "invoices", "carts", "returns", "loyalty", "pricing",
            "taxes", "fraud", "media", "bookings", "quotes", "claims", "devices", "tickets", "surveys")
_FIELDS = ("id", "status", "amount", "currency", "customer_id", "created_at", "region", "sku", "quantity",
           "email", "priority", "source", "channel", "version", "owner", "tags")
_BUG_RATE = 0.35
_PURPOSE = ("Check the required fields of one record", "Trim and stringify the fields",
            "Total the amounts by key", "Split records into batches")
_COMMENTS = ("keep in step with the schema in docs/api.md", "TODO: move to the shared library",
             "the upstream API sends empty strings for missing values", "cheap enough to call per record",
             "order matters: the UI shows the first errors only")
# The codes of the bugs the generator plants (each at a line it records).
PLANTED_CODES = ("FF001", "FF002", "FF003", "FF005")


@dataclass
class Manifest:
    files: dict[str, str] = field(default_factory=dict)       # path -> text
    bugs: list[tuple[str, int, str]] = field(default_factory=list)

    @property
    def lines(self) -> int:
        return sum(text.count("\n") for text in self.files.values())

    def add(self, path: str, text: str) -> None:
        out = []
        for number, line in enumerate(text.split("\n"), start=1):
            mark = _MARK.search(line)
            if mark:
                self.bugs.append((path, number, mark.group(1)))
                line = line[:mark.start()]
            out.append(line)
        self.files[path] = "\n".join(out)


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_\-]", name))


def _lower_camel(name: str) -> str:
    camel = _camel(name)
    return camel[:1].lower() + camel[1:]


class _Writer:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.manifest = Manifest()

    def bug(self) -> bool:
        return self.rng.random() < _BUG_RATE

    def fields(self, k: int) -> list[str]:
        return self.rng.sample(_FIELDS, k)

    # ------------------------------------------------------------- Python
    def py_filler(self, prefix: str, count: int) -> str:
        """Plain synchronous helpers: validation, mapping, aggregation (most of any real code base)."""
        blocks = []
        for i in range(count):
            shape = self.rng.randrange(4)
            fs = self.fields(3)
            name = f"{prefix}_{['validate', 'normalise', 'summarise', 'partition'][shape]}_{i}"
            if shape == 0:
                checks = "\n".join(f"    if not record.get({f!r}):\n        errors.append(\"missing {f}\")" for f in fs)
                blocks.append(f"def {name}(record: dict) -> list[str]:\n    errors: list[str] = []\n{checks}\n"
                              f"    return errors\n")
            elif shape == 1:
                items = ", ".join(f"{f!r}: str(record.get({f!r}, '')).strip()" for f in fs)
                blocks.append(f"def {name}(record: dict) -> dict:\n    \"\"\"Trim and stringify the fields the API returns.\"\"\"\n"
                              f"    return {{{items}}}\n")
            elif shape == 2:
                blocks.append(f"def {name}(records: list[dict]) -> dict:\n    totals: dict[str, float] = {{}}\n"
                              f"    for record in records:\n        key = record.get({fs[0]!r}, 'unknown')\n"
                              f"        totals[key] = totals.get(key, 0.0) + float(record.get({fs[1]!r}, 0))\n"
                              f"    return dict(sorted(totals.items()))\n")
            else:
                blocks.append(f"def {name}(records: list[dict], size: int = 25) -> list[list[dict]]:\n"
                              f"    batches = [records[i:i + size] for i in range(0, len(records), size)]\n"
                              f"    return [b for b in batches if any(r.get({fs[0]!r}) for r in b)]\n")
            if shape != 1 and self.rng.random() < 0.7:  # real helpers carry docstrings and comments
                head, body = blocks[-1].split("\n", 1)
                blocks[-1] = (f"{head}\n    \"\"\"{_PURPOSE[shape]} for the {prefix} API.\n\n"
                              f"    Pure: no I/O, so every handler of the service can share it. The fields\n"
                              f"    are those of the public schema ({', '.join(fs)}).\n    \"\"\"\n"
                              f"    # {_COMMENTS[self.rng.randrange(len(_COMMENTS))]}\n{body}")
        return "\n\n".join(blocks)

    def py_service(self, svc: str, filler: int) -> None:
        cls = _camel(svc) + "Service"
        m = self.manifest
        base = f"services/{svc}"
        fs = self.fields(4)
        m.add(f"{base}/src/{svc}/__init__.py", f'"""The {svc} service."""\n')
        m.add(f"{base}/src/{svc}/models.py", f'''"""Records of the {svc} service and their parsing."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class {_camel(svc)}Record:
    id: str
    {fs[1]}: str = ""
    {fs[2]}: str = ""
    {fs[3]}: float = 0.0
    tags: list[str] = field(default_factory=list)


def parse_record(raw: dict) -> {_camel(svc)}Record:
    return {_camel(svc)}Record(
        id=str(raw["id"]),
        {fs[1]}=str(raw.get({fs[1]!r}, "")),
        {fs[2]}=str(raw.get({fs[2]!r}, "")),
        {fs[3]}=float(raw.get({fs[3]!r}, 0) or 0),
        tags=list(raw.get("tags", [])),
    )


{self.py_filler("record", filler)}
''')
        drop_task = self.bug()
        m.add(f"{base}/src/{svc}/service.py", f'''"""Persistence and notifications for {svc}."""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from common.http import post_json
from common.ids import new_id
from {svc}.models import {_camel(svc)}Record

logger = logging.getLogger(__name__)


class {cls}:
    def __init__(self, table: str, topic: str):
        self.table = table
        self.topic = topic
        self._cache: dict[str, Any] = {{}}
        self._pending: list = []

    async def save(self, record: {_camel(svc)}Record) -> str:
        await asyncio.sleep(0)
        self._cache[record.id] = record
        return record.id

    async def publish(self, kind: str, payload: dict) -> None:
        await post_json(f"https://events.internal/{{self.topic}}/{{kind}}", {{"id": new_id(), **payload}})

    async def refresh_cache(self) -> None:
        await asyncio.sleep(0)
        self._cache.clear()

    async def save_all(self, records: list[{_camel(svc)}Record]) -> list[str]:
{"        asyncio.create_task(self.refresh_cache())  ⟪FF005⟫" if drop_task else "        refresh = asyncio.create_task(self.refresh_cache())"}
        ids = await asyncio.gather(*(self.save(r) for r in records))
{"" if drop_task else "        await refresh"}
        return list(ids)

    def cached(self, key: str) -> Any:
        return self._cache.get(key)

    def describe(self) -> dict:
        return {{"table": self.table, "topic": self.topic, "cached": len(self._cache)}}
''')
        not_awaited, dropped, listed = self.bug(), self.bug(), self.bug()
        m.add(f"{base}/src/{svc}/app.py", f'''"""Lambda entry points of the {svc} service."""
from __future__ import annotations

import asyncio
import json
import os

from common.responses import ok, bad_request
from {svc}.models import parse_record
from {svc}.service import {cls}
from {svc}.validation import check_payload

SERVICE = {cls}(os.environ.get("TABLE", "{svc}"), os.environ.get("TOPIC", "{svc}-events"))


async def _handle(records: list[dict]) -> dict:
    parsed = [parse_record(r) for r in records]
{"    SERVICE.publish('received', {'count': len(parsed)})  ⟪FF001⟫" if not_awaited else "    await SERVICE.publish('received', {'count': len(parsed)})"}
{"    pending = SERVICE.save(parsed[0]) if parsed else None  ⟪FF002⟫" if dropped else "    first = await SERVICE.save(parsed[0]) if parsed else None"}
{"    [SERVICE.save(r) for r in parsed[1:]]  ⟪FF003⟫" if listed else "    await asyncio.gather(*[SERVICE.save(r) for r in parsed[1:]])"}
    return ok({{"saved": len(parsed)}})


def lambda_handler(event, context):
    body = json.loads(event.get("body") or "{{}}")
    errors = check_payload(body)
    if errors:
        return bad_request(errors)
    return asyncio.run(_handle(body.get("records", [])))
''')
        m.add(f"{base}/src/{svc}/batch.py", f'''"""SQS consumer of the {svc} service."""
from __future__ import annotations

import asyncio
import json

from {svc}.app import SERVICE
from {svc}.models import parse_record


def handler(event, context):
    records = [parse_record(json.loads(r["body"])) for r in event.get("Records", [])]
    ids = asyncio.run(SERVICE.save_all(records))
    return {{"batchItemFailures": [], "saved": len(ids)}}
''')
        m.add(f"{base}/src/{svc}/validation.py", f'''"""Request validation for {svc}."""
from __future__ import annotations

REQUIRED = {tuple(fs[:2])!r}


def check_payload(body: dict) -> list[str]:
    if not isinstance(body, dict):
        return ["body must be an object"]
    records = body.get("records")
    if not isinstance(records, list):
        return ["records must be a list"]
    errors = []
    for i, record in enumerate(records):
        for key in REQUIRED:
            if key not in record:
                errors.append(f"records[{{i}}]: missing {{key}}")
    return errors


{self.py_filler("payload", max(1, filler // 2))}
''')
        listener_bug = self.bug()
        m.add(f"{base}/src/{svc}/listeners.py", f'''"""In-process listeners: audit and metrics for {svc} events."""
from __future__ import annotations

import asyncio

from common.http import post_json

_LISTENERS: dict[str, list] = {{}}


def on(kind: str):
    def register(fn):
        _LISTENERS.setdefault(kind, []).append(fn)
        return fn
    return register


@on("saved")
async def audit(payload: dict) -> None:
    await post_json("https://audit.internal/{svc}", payload)


async def dispatch(kind: str, payload: dict) -> None:
    handlers = _LISTENERS.get(kind, [])
    await asyncio.gather(*(handler(payload) for handler in handlers))


async def notify_saved(payload: dict) -> None:
{"    audit(payload)  ⟪FF001⟫" if listener_bug else "    await audit(payload)"}
''')
        m.add(f"{base}/src/{svc}/workflow.py", f'''"""The {svc} durable workflow: reserve, wait for approval, confirm."""
from __future__ import annotations

from aws_durable_execution_sdk_python import DurableContext, StepContext, durable_execution, durable_step
from aws_durable_execution_sdk_python.config import Duration

from {svc}.models import parse_record


@durable_step
def reserve(step_context: StepContext, record_id: str) -> dict:
    return {{"id": record_id, "reserved": True}}


@durable_step
def confirm(step_context: StepContext, record_id: str) -> dict:
    return {{"id": record_id, "confirmed": True}}


@durable_execution
def handler(event: dict, context: DurableContext) -> dict:
    record = parse_record(event)
    reservation = context.step(reserve(record.id), name="reserve")
    context.wait(Duration.from_seconds(30), name="cool-down")
    confirmation = context.step(confirm(record.id), name="confirm")
    return {{"reservation": reservation, "confirmation": confirmation}}
''')
        m.add(f"{base}/tests/test_{svc}_app.py", f'''"""Unit tests of the {svc} handlers."""
import asyncio

from {svc}.models import parse_record
from {svc}.service import {cls}
from {svc}.validation import check_payload


def test_check_payload_rejects_non_lists():
    assert check_payload({{"records": 1}}) == ["records must be a list"]


def test_save_returns_the_id():
    service = {cls}("t", "topic")
{"    service.save(parse_record({'id': 'x'}))  ⟪FF001⟫" if self.bug() else "    asyncio.run(service.save(parse_record({'id': 'x'})))"}
    assert asyncio.run(service.save(parse_record({{"id": "1"}}))) == "1"
''')
        m.add(f"{base}/requirements.txt", "aws-durable-execution-sdk-python>=1.0\nhttpx>=0.27\n")
        m.add(f"{base}/template.yaml", self.sam_template(svc, "python3.12", [
            ("Api", "src/", "app.lambda_handler"), ("Batch", "src/", "batch.handler"),
            ("Workflow", "src/", "workflow.handler")]))

    # --------------------------------------------------------- TypeScript
    def ts_filler(self, prefix: str, count: int, typed: bool = True) -> str:
        """Plain synchronous helpers, in TypeScript or (untyped) JavaScript."""
        blocks = []
        def t(annotation: str) -> str:
            return annotation if typed else ""
        export = "export " if typed else ""
        for i in range(count):
            shape = self.rng.randrange(4)
            fs = [_lower_camel(f) for f in self.fields(3)]
            name = f"{prefix}{['Validate', 'Normalise', 'Summarise', 'Partition'][shape]}{i}"
            if shape == 0:
                checks = "\n".join(f"  if (!record.{f}) {{\n    errors.push('missing {f}');\n  }}" for f in fs)
                blocks.append(f"{export}function {name}(record{t(': Partial<Row>')}){t(': string[]')} {{\n"
                              f"  const errors{t(': string[]')} = [];\n{checks}\n  return errors;\n}}\n")
            elif shape == 1:
                items = "\n".join(f"    {f}: String(record.{f} ?? '').trim()," for f in fs)
                blocks.append(f"{export}const {name} = (record{t(': Partial<Row>')}){t(': Record<string, string>')} => ({{\n"
                              f"{items}\n}});\n")
            elif shape == 2:
                blocks.append(f"{export}function {name}(rows{t(': Row[]')}){t(': Map<string, number>')} {{\n"
                              f"  const totals = new Map{t('<string, number>')}();\n  for (const row of rows) {{\n"
                              f"    const key = String(row.{fs[0]} ?? 'unknown');\n"
                              f"    totals.set(key, (totals.get(key) ?? 0) + Number(row.{fs[1]} ?? 0));\n  }}\n"
                              f"  return totals;\n}}\n")
            else:
                blocks.append(f"{export}function {name}{t('<T>')}(items{t(': T[]')}, size = 25){t(': T[][]')} {{\n"
                              f"  const out{t(': T[][]')} = [];\n"
                              f"  for (let i = 0; i < items.length; i += size) {{\n    out.push(items.slice(i, i + size));\n  }}\n"
                              f"  return out.filter((batch) => batch.length > 0);\n}}\n")
            if self.rng.random() < 0.7:
                blocks[-1] = (f"/**\n * {_PURPOSE[shape]} for the {prefix} views.\n *\n"
                              f" * Pure: no I/O, so every handler of the service can share it.\n"
                              f" * Fields: {', '.join(fs)}.\n */\n// {_COMMENTS[self.rng.randrange(len(_COMMENTS))]}\n"
                              + blocks[-1])
        return "\n".join(blocks)

    def ts_service(self, svc: str, filler: int) -> None:
        m = self.manifest
        base = f"services/{svc}"
        name, cls = _lower_camel(svc), _camel(svc)
        fs = [_lower_camel(f) for f in self.fields(4)]
        row = "\n".join(f"  {f}?: string | number;" for f in fs)
        m.add(f"{base}/src/utils/rows.ts", f'''/** Row shapes and pure helpers for {svc}. */
export interface Row {{
  id: string;
{row}
  [key: string]: unknown;
}}

export function chunk<T>(items: T[], size: number): T[][] {{
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {{
    out.push(items.slice(i, i + size));
  }}
  return out;
}}

{self.ts_filler("row", filler)}''')
        dropped_send = self.bug()
        m.add(f"{base}/src/services/{name}Service.ts", f'''import {{ DynamoDBClient, PutItemCommand }} from '@aws-sdk/client-dynamodb';
import {{ SNSClient, PublishCommand }} from '@aws-sdk/client-sns';
import {{ Row }} from '../utils/rows';
import {{ withRetry }} from '../../../../shared/ts/src/retry';

export class {cls}Service {{
  private readonly cache = new Map<string, Row>();

  constructor(
    private readonly db: DynamoDBClient,
    private readonly sns: SNSClient,
    private readonly table: string,
  ) {{}}

  async save(row: Row): Promise<string> {{
    await withRetry(() => this.db.send(new PutItemCommand({{ TableName: this.table, Item: {{ id: {{ S: row.id }} }} }})));
    this.cache.set(row.id, row);
    return row.id;
  }}

  async publish(kind: string, payload: unknown): Promise<void> {{
{"    const sent = this.sns.send(new PublishCommand({ TopicArn: kind, Message: JSON.stringify(payload) }));  ⟪FF002⟫" if dropped_send else "    await this.sns.send(new PublishCommand({ TopicArn: kind, Message: JSON.stringify(payload) }));"}
  }}

  cached(id: string): Row | undefined {{
    return this.cache.get(id);
  }}

  size(): number {{
    return this.cache.size;
  }}
}}
''')
        m.add(f"{base}/src/events.ts", f'''import {{ EventEmitter }} from 'events';

export const events = new EventEmitter();
let seen = 0;

events.on('{name}.saved', () => {{
  seen += 1;
}});

export function savedCount(): number {{
  return seen;
}}
''')
        m.add(f"{base}/src/listeners/{name}.listener.ts", f'''import {{ Injectable }} from '@nestjs/common';
import {{ OnEvent }} from '@nestjs/event-emitter';
import {{ {cls}Service }} from '../services/{name}Service';
import {{ Row }} from '../utils/rows';

@Injectable()
export class {cls}Listener {{
  constructor(private readonly service: {cls}Service) {{}}

  @OnEvent('{name}.created', {{ async: true }})
  async handleCreated(row: Row): Promise<void> {{
    await this.service.save(row);
    await this.service.publish('created', row);
  }}
}}
''')
        not_awaited, each, caught, in_test = self.bug(), self.bug(), self.bug(), self.bug()
        m.add(f"{base}/src/handlers/{name}.ts", f'''import type {{ APIGatewayProxyEvent, APIGatewayProxyResult }} from 'aws-lambda';
import {{ DynamoDBClient }} from '@aws-sdk/client-dynamodb';
import {{ SNSClient }} from '@aws-sdk/client-sns';
import {{ {cls}Service }} from '../services/{name}Service';
import {{ events }} from '../events';
import {{ Row }} from '../utils/rows';
import {{ recordMetric }} from '../../../../shared/ts/src/metrics';

const service = new {cls}Service(new DynamoDBClient({{}}), new SNSClient({{}}), process.env.TABLE ?? '{svc}');

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {{
  const row = JSON.parse(event.body ?? '{{}}') as Row;
  if (!row.id) {{
    return {{ statusCode: 400, body: JSON.stringify({{ error: 'id is required' }}) }};
  }}
  const id = await service.save(row);
  events.emit('{name}.saved', row);
{"  recordMetric('saved', 1);  ⟪FF001⟫" if not_awaited else "  await recordMetric('saved', 1);"}
  return {{ statusCode: 200, body: JSON.stringify({{ id }}) }};
}};
''')

        m.add(f"{base}/src/handlers/{name}Batch.ts", f'''import type {{ SQSEvent }} from 'aws-lambda';
import {{ DynamoDBClient }} from '@aws-sdk/client-dynamodb';
import {{ SNSClient }} from '@aws-sdk/client-sns';
import {{ {cls}Service }} from '../services/{name}Service';
import {{ Row, chunk }} from '../utils/rows';

const service = new {cls}Service(new DynamoDBClient({{}}), new SNSClient({{}}), process.env.TABLE ?? '{svc}');

export const handler = async (event: SQSEvent): Promise<void> => {{
  const rows = event.Records.map((r) => JSON.parse(r.body) as Row);
  for (const batch of chunk(rows, 10)) {{
{"    batch.forEach(async (row) => {  ⟪FF003⟫" if each else "    await Promise.all(batch.map(async (row) => {"}
      await service.save(row);
{"    });" if each else "    }));"}
  }}
{"  service.publish('batch', { count: rows.length }).catch(console.error);  ⟪FF001⟫" if caught else "  await service.publish('batch', { count: rows.length }).catch(console.error);"}
}};
''')
        m.add(f"{base}/src/workflows/{name}.workflow.ts", f'''import {{ withDurableExecution, DurableContext }} from '@aws/durable-execution-sdk-js';
import {{ Row }} from '../utils/rows';

export const handler = withDurableExecution(async (event: Row, context: DurableContext) => {{
  const reserved = await context.step('reserve', async () => ({{ id: event.id, at: Date.now() }}));
  await context.wait('cool-down', {{ seconds: 30 }});
  const confirmed = await context.step('confirm', async () => ({{ ...reserved, confirmed: true }}));
  return {{ reserved, confirmed }};
}});
''')
        m.add(f"{base}/src/components/{cls}Card.tsx", f'''import React, {{ useEffect, useState }} from 'react';
import {{ Row }} from '../utils/rows';

export function {cls}Card({{ id }}: {{ id: string }}) {{
  const [row, setRow] = useState<Row | null>(null);
  useEffect(() => {{
    let live = true;
    fetch(`/api/{svc}/${{id}}`)
      .then((res) => res.json())
      .then((data: Row) => live && setRow(data));
    return () => {{
      live = false;
    }};
  }}, [id]);
  if (!row) {{
    return <p className="loading">Loading…</p>;
  }}
  return (
    <section className="card">
      <h2>{{row.id}}</h2>
      <dl>
{chr(10).join(f"        <dt>{f}</dt><dd>{{String(row.{f} ?? '')}}</dd>" for f in fs)}
      </dl>
    </section>
  );
}}
''')
        m.add(f"{base}/test/{name}.test.ts", f'''import {{ handler }} from '../src/handlers/{name}';

describe('{name} handler', () => {{
  it('rejects a body without an id', async () => {{
    const res = await handler({{ body: '{{}}' }} as never);
    expect(res.statusCode).toBe(400);
  }});

  it('saves a row', async () => {{
{"    handler({ body: JSON.stringify({ id: '1' }) } as never);  ⟪FF001⟫" if in_test else "    await handler({ body: JSON.stringify({ id: '1' }) } as never);"}
  }});
}});
''')
        m.add(f"{base}/package.json", json.dumps({"name": svc, "private": True, "dependencies": {
            "@aws-sdk/client-dynamodb": "^3.600.0", "@aws-sdk/client-sns": "^3.600.0",
            "@aws/durable-execution-sdk-js": "^2.4.0", "@nestjs/common": "^10.0.0",
            "@nestjs/event-emitter": "^2.0.0", "react": "^18.3.0"}}, indent=2) + "\n")
        m.add(f"{base}/template.yaml", self.sam_template(svc, "nodejs22.x", [
            ("Api", "dist/", f"handlers/{name}.handler"), ("Batch", "dist/", f"handlers/{name}Batch.handler"),
            ("Workflow", "dist/", f"workflows/{name}.workflow.handler")]))

    # --------------------------------------------------------- JavaScript
    def js_service(self, svc: str, filler: int) -> None:
        m = self.manifest
        base = f"services/{svc}"
        name = _lower_camel(svc)
        fs = [_lower_camel(f) for f in self.fields(3)]
        helpers = self.ts_filler("fmt", filler, typed=False)
        exported = re.findall(r"^(?:function|const) (\w+)", helpers, flags=re.M)
        m.add(f"{base}/lib/format.js", f"""'use strict';

{helpers}
module.exports = {{ {', '.join(exported)} }};
""")
        m.add(f"{base}/lib/repo.js", f"""'use strict';

const {{ DynamoDBDocumentClient, PutCommand, GetCommand }} = require('@aws-sdk/lib-dynamodb');
const {{ DynamoDBClient }} = require('@aws-sdk/client-dynamodb');

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({{}}));
const TABLE = process.env.TABLE || '{svc}';

async function put(item) {{
  await doc.send(new PutCommand({{ TableName: TABLE, Item: item }}));
  return item.id;
}}

async function get(id) {{
  const out = await doc.send(new GetCommand({{ TableName: TABLE, Key: {{ id }} }}));
  return out.Item;
}}

module.exports = {{ put, get }};
""")
        listener_bug, not_awaited, kept = self.bug(), self.bug(), self.bug()
        m.add(f"{base}/lib/events.js", f"""'use strict';

const EventEmitter = require('events');
const repo = require('./repo');

const bus = new EventEmitter();
const counts = {{}};

bus.on('{name}.seen', (item) => {{
  counts[item.{fs[0]}] = (counts[item.{fs[0]}] || 0) + 1;
}});

async function remember(item) {{
{"  repo.put({ ...item, seen: true });  ⟪FF001⟫" if listener_bug else "  await repo.put({ ...item, seen: true });"}
}}

module.exports = {{ bus, counts, remember }};
""")
        m.add(f"{base}/index.js", f"""'use strict';

const repo = require('./lib/repo');
const {{ bus, remember }} = require('./lib/events');
const format = require('./lib/format');

exports.handler = async (event) => {{
  const items = (event.Records || []).map((r) => JSON.parse(r.body));
  const ids = [];
  for (const item of items) {{
    bus.emit('{name}.seen', item);
    ids.push(await repo.put(item));
  }}
{"  remember(items[0]);  ⟪FF001⟫" if not_awaited else "  await remember(items[0]);"}
{"  const last = repo.get(ids[ids.length - 1]);  ⟪FF002⟫" if kept else "  const last = await repo.get(ids[ids.length - 1]);"}
  return {{ statusCode: 200, body: JSON.stringify({{ ids, last, helpers: Object.keys(format).length }}) }};
}};
""")
        m.add(f"{base}/__tests__/index.test.js", f"""const {{ handler }} = require('../index');

test('returns the ids', async () => {{
  const res = await handler({{ Records: [] }});
  expect(res.statusCode).toBe(200);
}});
""")
        m.add(f"{base}/template.yaml", self.sam_template(svc, "nodejs20.x", [("Consumer", "./", "index.handler")]))

    # ------------------------------------------------------------- shared
    def shared(self) -> None:
        m = self.manifest
        m.add("shared/python/common/__init__.py", '"""Code shared by the Python services."""\n')
        m.add("shared/python/common/http.py", '''"""A small async HTTP helper over httpx."""
from __future__ import annotations

import httpx

_CLIENT: httpx.AsyncClient | None = None


def client() -> httpx.AsyncClient:
    global _CLIENT
    if _CLIENT is None:
        _CLIENT = httpx.AsyncClient(timeout=5.0)
    return _CLIENT


async def post_json(url: str, payload: dict) -> dict:
    response = await client().post(url, json=payload)
    response.raise_for_status()
    return response.json()
''')
        m.add("shared/python/common/ids.py", '''"""Identifiers."""
import uuid


def new_id() -> str:
    return uuid.uuid4().hex
''')
        m.add("shared/python/common/responses.py", '''"""API Gateway proxy responses."""
import json


def ok(body: dict) -> dict:
    return {"statusCode": 200, "body": json.dumps(body)}


def bad_request(errors: list) -> dict:
    return {"statusCode": 400, "body": json.dumps({"errors": errors})}
''')
        m.add("shared/ts/src/retry.ts", '''export async function withRetry<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i += 1) {
    try {
      return await fn();
    } catch (error) {
      last = error;
      await new Promise((resolve) => setTimeout(resolve, 2 ** i * 50));
    }
  }
  throw last;
}
''')
        m.add("shared/ts/src/metrics.ts", '''import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';

const cw = new CloudWatchClient({});

export async function recordMetric(name: string, value: number): Promise<void> {
  await cw.send(new PutMetricDataCommand({ Namespace: 'app', MetricData: [{ MetricName: name, Value: value }] }));
}
''')
        m.add(".gitignore", "node_modules/\ndist/\n.aws-sam/\n__pycache__/\n*.pyc\ncoverage/\n")
        m.add("package.json", json.dumps({"name": "monorepo", "private": True, "workspaces": ["services/*"]},
                                          indent=2) + "\n")

    @staticmethod
    def sam_template(svc: str, runtime: str, functions: list[tuple[str, str, str]]) -> str:
        body = "".join(f"""  {_camel(svc)}{logical}Function:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: {uri}
      Handler: {handler}
      Environment:
        Variables:
          TABLE: !Ref {_camel(svc)}Table
""" for logical, uri, handler in functions)
        return f"""AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: {svc}
Globals:
  Function:
    Runtime: {runtime}
    Timeout: 30
Resources:
{body}  {_camel(svc)}Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
"""


def generate(lines: int, seed: int = 0) -> Manifest:
    """The files of a monorepo of about `lines` lines; the same arguments give the same tree."""
    writer = _Writer(seed)
    writer.shared()
    kinds = ("py", "ts", "js", "py", "ts")
    i = 0
    while writer.manifest.lines < lines:
        kind = kinds[i % len(kinds)]
        svc = f"{_DOMAINS[i % len(_DOMAINS)]}{i // len(_DOMAINS) or ''}-{kind}".replace("-", "_")
        filler = writer.rng.randint(6, 30)
        {"py": writer.py_service, "ts": writer.ts_service, "js": writer.js_service}[kind](svc, filler)
        i += 1
    return writer.manifest


def write(manifest: Manifest, root: Path) -> None:
    for path, text in sorted(manifest.files.items()):
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    manifest = generate(args.lines, args.seed)
    write(manifest, args.out)
    print(f"{len(manifest.files)} files, {manifest.lines} lines, {len(manifest.bugs)} planted bugs in {args.out}")


if __name__ == "__main__":
    main()
