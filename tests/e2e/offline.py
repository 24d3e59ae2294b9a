"""The phone and the network of the offline tests: Playwright's offline mode does not stop a service worker's own
requests, so the live server itself is cut off too (`Gate`): while "offline" it refuses every request and records
it, and the tests check that no write got through. The `gate` and `phone` fixtures are in tests/e2e/conftest.py."""

from branches.offline import PAGES_CACHE

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class Gate:
    """Wraps the live server's WSGI application: the server's end of the network."""

    def __init__(self, app):
        self.app = app
        self.offline = False
        self.lose_next_answer = False
        self.seen = []  # (offline?, method, path, Idempotency-Key)

    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ["PATH_INFO"]
        self.seen.append((self.offline, method, path, environ.get("HTTP_IDEMPOTENCY_KEY")))
        if self.offline:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"offline"]
        if self.lose_next_answer and method == "PUT" and path.startswith("/api/"):
            self.lose_next_answer = False
            result = self.app(environ, lambda status, headers, exc_info=None: None)  # the server does the work…
            try:
                b"".join(result)
            finally:
                result.close()
            start_response("502 Bad Gateway", [("Content-Type", "text/plain")])  # …and its answer is lost
            return [b"lost"]
        return self.app(environ, start_response)

    def writes(self, *, offline):
        return [entry for entry in self.seen if entry[0] == offline and entry[1] in UNSAFE]


def open_with_worker(page, path):
    """Online, the first visit installs the service worker; the second, under its control, keeps the page."""
    page.goto(path)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    # Kept once the worker has stored the answer (after handing it to the page).
    page.wait_for_function(f"caches.open('{PAGES_CACHE}').then((cache) => cache.match(location.href)).then(Boolean)",
                           polling=100)  # fmt: skip


def go_offline(context, gate):
    gate.offline = True
    context.set_offline(True)


def go_online(context, gate):
    gate.offline = False
    context.set_offline(False)
