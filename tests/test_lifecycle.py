"""What users read in the lifecycle findings: the listener named with its file, one finding per call."""
from __future__ import annotations

from pathlib import Path

from conftest import codes_by_line, lint

FIXTURES = Path(__file__).parent / "fixtures"


def _copy(case: str) -> dict[str, str]:
    root = FIXTURES / case
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in root.rglob("*") if p.is_file()}


def test_nestjs_emit_names_the_async_listener_and_its_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    findings = lint(tmp_path, _copy("FF004/ts-nestjs-imported-constant"))
    assert [(Path(f.path).name, f.span.line, f.code) for f in findings] == [("users.service.ts", 10, "FF004")]
    message = findings[0].message
    assert "`UserRegisteredListener.sendWelcomeEmail`" in message
    assert "user-registered.listener.ts:8" in message
    assert "emitAsync" in message
    assert findings[0].handler == "lambda.handler"  # the Nest app the handler bootstraps reaches the controller
    assert len(message) <= 240


def test_the_same_emit_with_an_enum_name_and_with_emit_async(tmp_path):
    files = {
        "events.ts": "export enum UserEvents { Registered = 'user.registered' }\n",
        "listener.ts": """
            import { OnEvent } from '@nestjs/event-emitter';
            import { UserEvents } from './events';
            export class Listener {
              @OnEvent(UserEvents.Registered)
              async welcome(p: unknown) { await fetch('https://mail.example.com'); }
            }
        """,
        "service.ts": """
            import { EventEmitter2 } from '@nestjs/event-emitter';
            import { UserEvents } from './events';
            export class Service {
              constructor(private readonly bus: EventEmitter2) {}
              async a() { this.bus.emit(UserEvents.Registered, {}); }
              async b() { await this.bus.emitAsync(UserEvents.Registered, {}); }
              async c() { this.bus.emit('user.registered', {}); }
            }
        """,
    }
    findings = lint(tmp_path, files)
    assert codes_by_line(findings) == [("service.ts", 5, "FF004"), ("service.ts", 7, "FF004")]
    assert all("`Listener.welcome` (" in f.message and "listener.ts:5)" in f.message for f in findings)
    assert all("`await this.bus.emitAsync(…)`" in f.message for f in findings)


def test_a_listener_registered_only_in_a_test_file_still_links(tmp_path):
    """Listeners are indexed from every file; only the emit site is reported."""
    files = {
        "handler.js": """
            const { bus } = require('./bus');
            exports.handler = async (e) => { bus.emit('x', e); return 1; };
        """,
        "bus.js": "const { EventEmitter } = require('events');\nexports.bus = new EventEmitter();\n",
        "tests/setup.js": "const { bus } = require('../bus');\nbus.on('x', async () => {});\n",
    }
    assert codes_by_line(lint(tmp_path, files)) == [("handler.js", 2, "FF004")]


def test_daemon_threads_get_their_own_wording(tmp_path):
    files = {"app.py": """
        import threading
        def work():
            pass
        def handler(event, context):
            threading.Thread(target=work, daemon=True).start()
            threading.Thread(target=work).start()
            return 1
    """}
    daemon, plain = sorted(lint(tmp_path, files), key=lambda f: f.span.line)
    assert "daemon thread" in daemon.message and "daemons freeze too" in daemon.message
    assert "daemon" not in plain.message


def test_work_after_the_stream_ends_is_one_finding_and_not_also_ff001(tmp_path):
    files = {"index.mjs": """
        async function audit(e) { await fetch('https://audit.example.com'); }
        export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
          audit(event);
          responseStream.end();
          audit(event);
        });
    """}
    assert codes_by_line(lint(tmp_path, files)) == [("index.mjs", 3, "FF001"), ("index.mjs", 5, "FF009")]


def test_library_code_without_handlers_does_not_speak_of_the_handler(tmp_path):
    files = {"lib.js": "function f() {}\nexports.start = () => { setTimeout(() => f(), 10); };\n"}
    (finding,) = lint(tmp_path, files)
    assert finding.code == "FF007" and "handler" not in finding.message

