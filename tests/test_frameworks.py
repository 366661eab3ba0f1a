"""Handlers from frameworks: the functions a framework dispatches to are judged as handler code."""
from __future__ import annotations

from conftest import codes_by_line


def test_powertools_python_routes_are_reached_from_the_handler(project):
    findings = project({
        "app.py": """
            import asyncio
            from aws_lambda_powertools.event_handler import APIGatewayRestResolver
            from routes import router

            app = APIGatewayRestResolver()
            app.include_router(router, prefix="/orders")

            async def audit(x):
                await asyncio.sleep(0)

            @app.get("/todos")
            def list_todos():
                audit("list")
                return []

            def lambda_handler(event, context):
                return app.resolve(event, context)
        """,
        "routes.py": """
            import asyncio
            from aws_lambda_powertools.event_handler.router import APIRouter

            router = APIRouter()

            async def audit(x):
                await asyncio.sleep(0)

            @router.post("/")
            def create():
                audit("create")
                return {}
        """,
        "cli.py": """
            import sys

            def main():
                sys.exit(1)
        """,
    }, select=["FF", "RT"])
    assert codes_by_line(findings) == [("app.py", 13, "FF001"), ("routes.py", 11, "FF001")]


def test_powertools_typescript_routes_and_a_process_exit_in_one(project):
    findings = project({
        "src/index.ts": """
            import { Router } from '@aws-lambda-powertools/event-handler/http';
            import type { Context } from 'aws-lambda';

            const app = new Router();

            const remove = async ({ params }: { params: { id: string } }) => {
              if (!params.id) process.exit(1);
              return { ok: true };
            };

            app.get('/todos', async () => {
              fetch('https://audit.example.com/list');
              return [];
            });
            app.delete('/todos/:id', remove);

            export const handler = async (event: unknown, context: Context) => app.resolve(event, context);
        """,
        "src/unrelated.ts": """
            export const tool = async () => { process.exit(2); };
        """,
    }, select=["FF", "RT"])
    assert codes_by_line(findings) == [("index.ts", 7, "RT001"), ("index.ts", 12, "FF001")]


def test_routes_of_a_resolver_no_handler_resolves_are_not_reached(project):
    findings = project({
        "app.py": """
            import sys
            from aws_lambda_powertools.event_handler import APIGatewayRestResolver

            app = APIGatewayRestResolver()

            @app.get("/stop")
            def stop():
                sys.exit(1)

            def lambda_handler(event, context):
                return {"statusCode": 200}
        """,
    }, select=["RT"])
    assert findings == []


def test_nestjs_bootstrap_reaches_controllers_and_provided_services(project):
    findings = project({
        "src/lambda.ts": """
            import { NestFactory } from '@nestjs/core';
            import { AppModule } from './app.module';
            import { OrdersService } from './orders.service';

            export const handler = async (event: { id: string }) => {
              const app = await NestFactory.createApplicationContext(AppModule);
              const orders = app.get(OrdersService);
              return orders.process(event.id);
            };
        """,
        "src/app.module.ts": "export class AppModule {}\n",
        "src/orders.service.ts": """
            import { Injectable } from '@nestjs/common';

            @Injectable()
            export class OrdersService {
              async notify(id: string): Promise<void> {}

              async process(id: string) {
                this.notify(id);
                return { id };
              }
            }
        """,
        "src/users.controller.ts": """
            import { Controller, Post } from '@nestjs/common';

            @Controller('users')
            export class UsersController {
              async welcome(): Promise<void> {}

              @Post()
              async register() {
                this.welcome();
                return { ok: true };
              }
            }
        """,
    }, select=["FF"])
    assert codes_by_line(findings) == [("orders.service.ts", 8, "FF001"), ("users.controller.ts", 9, "FF001")]


def test_chalice_entry_points_and_project_decorators(project):
    findings = project({
        "app.py": """
            import asyncio
            import sys
            from functools import wraps

            from chalice import Chalice

            app = Chalice(app_name="orders")

            async def audit(x):
                await asyncio.sleep(0)

            def traced(fn):
                @wraps(fn)
                def wrapper(*args, **kwargs):
                    if kwargs.get("stop"):
                        sys.exit(2)
                    return fn(*args, **kwargs)
                return wrapper

            @app.on_sqs_message(queue="orders")
            @traced
            def consume(event):
                for record in event:
                    audit(record.body)

            @app.lambda_function(name="stopper")
            def stopper(event, context):
                sys.exit(0)

            def unrelated_decorator(fn):
                def wrapper():
                    sys.exit(1)
                return wrapper
        """,
    }, select=["FF", "RT"])
    assert codes_by_line(findings) == [("app.py", 16, "RT001"), ("app.py", 24, "FF001"), ("app.py", 28, "RT001")]


def test_middy_middlewares_run_with_the_handler(project):
    findings = project({
        "src/handler.ts": """
            import middy from '@middy/core';
            import { audit } from './audit';

            const base = async (event: { id: string }) => ({ id: event.id });

            export const handler = middy(base)
              .use({
                before: async (request: unknown) => {
                  if (!request) process.exit(1);
                },
              })
              .use(audit());
        """,
        "src/audit.ts": """
            export function audit() {
              return {
                after: async () => {
                  process.exit(2);
                },
              };
            }
            export function unused() {
              process.exit(3);
            }
        """,
    }, select=["RT"])
    assert codes_by_line(findings) == [("audit.ts", 4, "RT001"), ("handler.ts", 9, "RT001")]
