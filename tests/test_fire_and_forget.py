"""FF001, FF002, FF003, FF005 on small projects: what is caught, and the look-alikes that must stay silent."""
from __future__ import annotations

from conftest import codes_by_line


# --------------------------------------------------------------- caught
def test_floating_call_to_async_function_imported_from_another_python_file(project):
    findings = project({
        "app/notify.py": """
            async def notify(order):
                ...
        """,
        "app/handler.py": """
            from .notify import notify

            def lambda_handler(event, context):
                notify(event)
                return {"ok": True}
        """,
    })
    assert codes_by_line(findings) == [("handler.py", 4, "FF001")]
    message = findings[0].message
    assert "never runs" in message and "lambda_handler" in message


def test_floating_call_to_async_function_imported_with_absolute_import(project):
    findings = project({
        "svc/notify.py": "async def notify(order):\n    ...\n",
        "svc/app.py": """
            import asyncio
            from notify import notify

            async def main(event):
                notify(event)

            def handler(event, context):
                return asyncio.run(main(event))
        """,
    })
    assert codes_by_line(findings) == [("app.py", 5, "FF001")]
    assert findings[0].handler == "app.handler"


def test_floating_call_to_async_function_imported_from_another_js_file(project):
    findings = project({
        "lib/audit.js": """
            async function recordAudit(e) {}
            module.exports = { recordAudit };
        """,
        "index.js": """
            const { recordAudit } = require('./lib/audit');
            exports.handler = async (event) => {
              recordAudit(event);
              return {};
            };
        """,
    })
    assert codes_by_line(findings) == [("index.js", 3, "FF001")]
    assert "index.handler" in findings[0].message


def test_floating_call_to_async_function_imported_from_another_ts_file_via_reexport(project):
    findings = project({
        "src/lib/audit.ts": "export async function recordAudit(e: unknown): Promise<void> {}\n",
        "src/lib/index.ts": "export * from './audit';\n",
        "src/handler.ts": """
            import { recordAudit } from './lib';
            export const handler = async (event: unknown) => {
              recordAudit(event);
              return {};
            };
        """,
    })
    assert codes_by_line(findings) == [("handler.ts", 3, "FF001")]


def test_constructor_injected_service_method_defined_in_another_file(project):
    findings = project({
        "src/mailer.ts": """
            export class MailService {
              async send(to: string): Promise<void> {}
              render(to: string): string { return to; }
            }
        """,
        "src/signup.ts": """
            import { MailService } from './mailer';
            export class Signup {
              constructor(private readonly mail: MailService) {}
              async register(email: string) {
                this.mail.send(email);
                this.mail.render(email);
                await this.mail.send(email);
              }
            }
        """,
    })
    assert codes_by_line(findings) == [("signup.ts", 5, "FF001")]


def test_python_self_attribute_instance(project):
    findings = project({
        "repo.py": """
            import httpx

            class Repo:
                def __init__(self):
                    self.client = httpx.AsyncClient()

                async def save(self, item):
                    self.client.post("/items", json=item)
                    await self.client.post("/items", json=item)
        """,
    })
    assert codes_by_line(findings) == [("repo.py", 8, "FF001")]


def test_catch_without_await_is_still_floating(project):
    findings = project({
        "h.js": """
            exports.handler = async () => {
              fetch('https://example.com').catch(console.error);
              fetch('https://example.com').then(ok, fail);
              return {};
            };
        """,
    })
    assert codes_by_line(findings) == [("h.js", 2, "FF001"), ("h.js", 3, "FF001")]
    assert "not awaited" in findings[0].message


def test_void_is_reported_unless_allowed(project, tmp_path):
    files = {"h.ts": "export const handler = async () => {\n  void fetch('x');\n  return 1;\n};\n"}
    assert codes_by_line(project(files)) == [("h.ts", 2, "FF001")]
    assert project(files, allow_void=True) == []


def test_promise_bound_to_name_never_awaited(project):
    findings = project({
        "h.ts": """
            export const handler = async () => {
              const pending = fetch('https://example.com');
              return { ok: true };
            };
        """,
    })
    assert codes_by_line(findings) == [("h.ts", 2, "FF002")]
    assert "`pending`" in findings[0].message


def test_underscore_assignment_of_coroutine(project):
    findings = project({
        "h.py": """
            async def send(x):
                ...

            async def main(event):
                _ = send(event)
        """,
    })
    assert codes_by_line(findings) == [("h.py", 5, "FF002")]


def test_for_each_with_async_callback(project):
    findings = project({
        "h.ts": """
            async function save(r: unknown) {}
            export const handler = async (event: { Records: unknown[] }) => {
              event.Records.forEach(async (r) => { await save(r); });
              event.Records.forEach((r) => save(r));
              event.Records.forEach((r) => console.log(r));
              return {};
            };
        """,
    })
    assert codes_by_line(findings) == [("h.ts", 3, "FF003"), ("h.ts", 4, "FF003")]


def test_awaiting_an_array_of_promises_waits_for_nothing(project):
    findings = project({
        "h.js": """
            exports.handler = async (event) => {
              await event.items.map(async (i) => i);
              const all = event.items.map(async (i) => i);
              await all;
              return {};
            };
        """,
    })
    assert codes_by_line(findings) == [("h.js", 2, "FF003"), ("h.js", 3, "FF003")]
    assert "waits for none" in findings[0].message


def test_python_list_of_coroutines_never_gathered(project):
    findings = project({
        "h.py": """
            async def audit(r):
                ...

            async def main(records):
                [audit(r) for r in records]
                pending = list(map(audit, records))
                return None
        """,
    })
    assert [c for _, _, c in codes_by_line(findings)] == ["FF003", "FF003"]


def test_dangling_task_inside_asyncio_run(project):
    findings = project({
        "h.py": """
            import asyncio

            async def warm():
                ...

            async def main(event):
                asyncio.create_task(warm())
                t = asyncio.ensure_future(warm())
                return {}

            def lambda_handler(event, context):
                return asyncio.run(main(event))
        """,
    })
    assert codes_by_line(findings) == [("h.py", 7, "FF005"), ("h.py", 8, "FF005")]
    assert "cancels it" in findings[0].message


def test_task_kept_in_a_set_is_still_dangling(project):
    findings = project({
        "h.py": """
            import asyncio
            tasks = set()

            async def main(coro):
                task = asyncio.create_task(coro)
                tasks.add(task)
                task.add_done_callback(tasks.discard)
        """,
    })
    assert codes_by_line(findings) == [("h.py", 5, "FF005")]


def test_coroutine_call_as_statement_in_sync_function(project):
    findings = project({
        "h.py": """
            async def flush():
                ...

            def helper():
                flush()
        """,
    })
    assert codes_by_line(findings) == [("h.py", 5, "FF001")]


def test_module_level_floating_promise_is_reported(project):
    findings = project({"h.mjs": "async function init() {}\ninit();\nexport const handler = async () => 1;\n"})
    assert codes_by_line(findings) == [("h.mjs", 2, "FF001")]
    assert "module level" in findings[0].message


# ----------------------------------------------------------- not reported
def test_awaited_returned_and_gathered_are_settled(project):
    findings = project({
        "h.ts": """
            async function a(): Promise<number> { return 1; }
            export const handler = async () => {
              await a();
              const p = a();
              const q = a();
              const list: Promise<number>[] = [];
              for (const x of [1, 2]) {
                list.push(a());
              }
              await Promise.all([p, q, ...list]);
              const r = a();
              await Promise.allSettled([r]);
              return a();
            };
        """,
    })
    assert findings == []


def test_gathered_in_python_through_variable_and_loop(project):
    findings = project({
        "h.py": """
            import asyncio

            async def work(x):
                ...

            async def main(items):
                coros = []
                for item in items:
                    coros.append(work(item))
                await asyncio.gather(*coros)
                pending = [work(i) for i in items]
                results = await asyncio.gather(*pending)
                first = work(1)
                await asyncio.wait_for(first, 5)
                return results
        """,
    })
    assert findings == []


def test_for_await_and_task_group_are_settled(project):
    findings = project({
        "h.ts": """
            async function* stream() { yield 1; }
            export const handler = async (event: { items: string[] }) => {
              for await (const x of event.items.map(async (i) => i)) {
                console.log(x);
              }
              for await (const chunk of stream()) {
                console.log(chunk);
              }
              await new Promise((resolve) => setTimeout(resolve, 10));
              return {};
            };
        """,
        "h.py": """
            import asyncio

            async def warm():
                ...

            async def main():
                async with asyncio.TaskGroup() as tg:
                    tg.create_task(warm())
                    tg.create_task(warm())
        """,
    })
    assert findings == []


def test_sync_function_sharing_a_name_with_an_async_one_elsewhere(project):
    findings = project({
        "a.py": "async def publish(x):\n    ...\n",
        "b.py": """
            def publish(x):
                print(x)

            def lambda_handler(event, context):
                publish(event)
        """,
        "a.ts": "export async function publish(x: unknown) {}\n",
        "b.ts": """
            function publish(x: unknown) { console.log(x); }
            export const handler = async (e: unknown) => { publish(e); return 1; };
        """,
    })
    assert findings == []


def test_calls_whose_async_ness_cannot_be_proven_are_not_reported(project):
    findings = project({
        "h.js": """
            const lib = require('some-lib');
            exports.handler = async (event, ctx) => {
              lib.doSomething(event);
              event.client.send(event);
              ctx.getRemainingTimeInMillis();
              return {};
            };
        """,
        "h.py": """
            import somelib

            def lambda_handler(event, context):
                somelib.publish(event)
                event["client"].send()
        """,
    })
    assert findings == []


def test_returned_then_chain_is_settled(project):
    findings = project({
        "h.js": """
            exports.handler = (event) => {
              return fetch('https://example.com').then((r) => r.json()).catch(() => null);
            };
            exports.other = (event) => fetch('https://example.com').then((r) => r.json());
        """,
    })
    assert findings == []


def test_test_framework_calls_are_safe_in_test_files(project):
    source = """
        import { describe, it } from 'node:test';
        describe('handler', () => {
          it('works', async () => {});
        });
    """
    assert project({"tests/handler.test.ts": source}) == []


def test_test_framework_calls_are_not_safe_outside_test_files(project):
    source = "import { it } from 'node:test';\nit('works', async () => {});\n"
    assert codes_by_line(project({"src/runner.mjs": source})) == [("runner.mjs", 2, "FF001")]


def test_main_guard_is_not_lambda_code(project):
    findings = project({
        "h.py": """
            async def main():
                ...

            if __name__ == "__main__":
                main()
        """,
    })
    assert findings == []


def test_module_level_promise_awaited_in_handler(project):
    findings = project({
        "h.mjs": """
            async function connect() {}
            const ready = connect();
            export const handler = async () => {
              await ready;
              return 1;
            };
        """,
    })
    assert findings == []


def test_attribute_promise_awaited_in_another_method(project):
    findings = project({
        "db.ts": """
            export class Db {
              private ready: Promise<void>;
              constructor() {
                this.ready = this.connect();
              }
              private async connect(): Promise<void> {}
              async query(sql: string) {
                await this.ready;
                return sql;
              }
            }
        """,
    })
    assert findings == []


def test_value_passed_to_unknown_function_is_owned_by_it(project):
    findings = project({
        "h.py": """
            import asyncio

            async def work():
                ...

            def lambda_handler(event, context):
                return asyncio.run(work())

            def other(loop):
                loop.run_until_complete(work())
        """,
    })
    assert findings == []


def test_suppression_comments(project):
    findings = project({
        "h.ts": """
            export const handler = async () => {
              fetch('a'); // lambdalint-ignore FF001
              // lambdalint-ignore
              fetch('b');
              fetch('c'); // lambdalint-ignore FF002
              return 1;
            };
        """,
        "h.py": """
            async def go():
                ...

            def lambda_handler(event, context):
                go()  # lambdalint: ignore[FF001]
                # lambdalint: ignore[FF001]
                go()
                go()
        """,
    })
    assert codes_by_line(findings) == [("h.py", 8, "FF001"), ("h.ts", 5, "FF001")]


def test_select_and_ignore(project):
    files = {"h.py": "import asyncio\nasync def f():\n    asyncio.create_task(f())\n    _ = f()\n"}
    assert codes_by_line(project(files)) == [("h.py", 3, "FF005"), ("h.py", 4, "FF002")]
    assert [f.code for f in project(files, ignore=["FF005"])] == ["FF002"]
    assert [f.code for f in project(files, select=["FF005"])] == ["FF005"]


def test_async_apis_and_safe_calls_settings(project):
    files = {"h.js": "const q = require('queue-lib');\nexports.handler = async () => { q.publish(1); return 1; };\n"}
    assert project(files) == []
    assert [f.code for f in project(files, async_apis=["queue-lib.publish"])] == ["FF001"]
    files2 = {"h.js": "exports.handler = async () => { fetch('x'); return 1; };\n"}
    assert project(files2, safe_calls=["fetch"]) == []


def test_python_file_without_final_newline(project, tmp_path):
    (tmp_path / "h.py").write_text("async def go():\n    ...\n\ndef handler(event, context):\n    go()", encoding="utf-8")
    assert codes_by_line(project({})) == [("h.py", 5, "FF001")]


def test_callback_style_handler_waits_for_the_event_loop(project):
    """Node callback handlers respond only when the event loop is empty, unless told not to wait."""
    waiting = """
        async function record(x) {}
        exports.handler = (event, context, callback) => {
          record(event).then(() => callback(null, { ok: true }));
        };
    """
    assert project({"h.js": waiting}, select=["FF"]) == []
    not_waiting = """
        async function record(x) {}
        exports.handler = (event, context, callback) => {
          context.callbackWaitsForEmptyEventLoop = false;
          record(event);
          callback(null, { ok: true });
        };
    """
    # With the wait turned off, the pending promise is FF008's (one finding, not also FF001).
    assert codes_by_line(project({"h.js": not_waiting}, select=["FF"])) == [("h.js", 4, "FF008")]


def test_test_files_get_the_ordinary_rules_even_when_unreachable(project):
    # With `check-tests` (without it test files are not reported: see tests/test_project.py).
    findings = project({
        "src/handler.ts": "export const handler = async () => 1;\n",
        "tests/handler.test.ts": """
            import { describe, it } from 'node:test';
            import { handler } from '../src/handler';
            describe('handler', () => {
              it('works', async () => {
                handler();
                await handler();
              });
            });
        """,
    }, check_tests=True)
    assert codes_by_line(findings) == [("handler.test.ts", 5, "FF001")]


def test_script_at_the_top_of_a_test_module_is_not_init_code(project):
    findings = project({
        "src/handler.ts": "export const handler = async () => 1;\n",
        "test/smoke.ts": "async function main() {}\nmain();\n",
    }, check_tests=True)
    assert findings == []


def test_gather_without_await_says_its_tasks_are_cancelled(project):
    findings = project({
        "h.py": """
            import asyncio

            async def work(x):
                ...

            async def main(items):
                asyncio.gather(*(work(i) for i in items))

            def lambda_handler(event, context):
                return asyncio.run(main(event["items"]))
        """,
    })
    assert codes_by_line(findings) == [("h.py", 7, "FF001")]
    assert "tasks are cancelled" in findings[0].message


def test_attribute_holder_gathered_in_another_method(project):
    findings = project({
        "batch.ts": """
            export class Batch {
              private pending: Promise<void>[] = [];
              add(item: string) {
                this.pending.push(fetch(item).then(() => undefined));
              }
              async flush() {
                await Promise.all(this.pending);
              }
            }
            export class Leaky {
              private pending: Promise<Response>[] = [];
              add(item: string) {
                this.pending.push(fetch(item));
              }
            }
        """,
    })
    assert codes_by_line(findings) == [("batch.ts", 13, "FF002")]
