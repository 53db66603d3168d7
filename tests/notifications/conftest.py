"""A local robot endpoint: an HTTP server on 127.0.0.1 that records what the group robots are sent."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from apprise.plugins.dingtalk import NotifyDingTalk
from apprise.plugins.wecombot import NotifyWeComBot


class RobotEndpoint:
    """Answers like WeCom/DingTalk (``{"errcode": 0}``) unless ``status`` says otherwise."""

    def __init__(self):
        self.requests = []
        self.status = 200
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length", 0))
                split = urlsplit(self.path)
                endpoint.requests.append({
                    "path": split.path, "query": parse_qs(split.query),
                    "json": json.loads(self.rfile.read(length).decode("utf-8")),
                })
                body = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()
                self.send_response(endpoint.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot_endpoint(monkeypatch):
    """The WeCom and DingTalk robot APIs pointed at a local server (apprise's plugins are used as they are)."""
    endpoint = RobotEndpoint()
    monkeypatch.setattr(NotifyWeComBot, "notify_url", endpoint.base + "/cgi-bin/webhook/send?key={key}")
    monkeypatch.setattr(NotifyDingTalk, "notify_url", endpoint.base + "/robot/send?access_token={token}")
    yield endpoint
    endpoint.close()
