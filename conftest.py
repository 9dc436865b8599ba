"""pytest configuration shared by every test of the project.

pytest-odoo restarts Odoo's HTTP server for every test module when run with
``--odoo-http``, and the second start fails on the port the first one still
holds. We run with ``--odoo-extra=test-enable`` instead and own the HTTP
server here: one server for the whole session, started once the registry is
loaded, so ``HttpCase`` tests (browser tours, portal, JSON-RPC) can run.
"""

import pytest

import odoo


@pytest.fixture(scope="session", autouse=True)
def load_http(load_registry):
    previous = odoo.service.server.server
    if previous is not None and getattr(previous, "httpd", None):
        # Started (and shut down) by Odoo's own start(stop=True): free the port.
        previous.httpd.server_close()
    server = odoo.service.server.ThreadedServer(odoo.http.root)
    server.http_spawn()
    odoo.service.server.server = server
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()
