"""Real receivers on loopback for the notification tests: an SMTP server (aiosmtpd) and an HTTP server standing in for
a WeCom/DingTalk group robot, each recording what it was sent."""

import email
import email.policy
import json
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """aiosmtpd on 127.0.0.1; `messages` holds (recipients, parsed message) of every mail accepted."""

    def __init__(self):
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
        self.messages = []
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()


class Robot:
    """A group robot's webhook on 127.0.0.1: records each JSON body posted (with its path), answers `reply` after
    `delay` seconds. The port is fixed at creation, so it can be down (not started) first and come up later."""

    def __init__(self):
        self.port = free_port()
        self.posts = []
        self.reply = {"errcode": 0, "errmsg": "ok"}
        self.delay = 0
        self.server = None
        self.thread = None

    def url(self, path="/cgi-bin/webhook/send?key=robot-secret-token-0042"):
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self):
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — http.server's hook name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if robot.delay:
                    time.sleep(robot.delay)
                robot.posts.append((self.path, json.loads(body)))
                answer = json.dumps(robot.reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(5)
            self.server = None

    def contents(self):
        return [body["text"]["content"] for _path, body in self.posts]
