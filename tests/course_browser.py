"""Headless Chromium (Debian's chromium and chromium-driver, never a downloaded browser) driven
by Selenium, and a static web server on 127.0.0.1, for the course player's tests."""

import http.server
import os
import re
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
         "--autoplay-policy=no-user-gesture-required")


def browser_available() -> bool:
    return bool(shutil.which("chromium") and shutil.which("chromedriver"))


@contextmanager
def chromium(profile: Path, width: int = 1280, height: int = 720):
    """A fresh headless Chromium whose page area is ``width`` x ``height``."""
    options = Options()
    options.binary_location = shutil.which("chromium")
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=shutil.which("chromedriver")))
    try:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        yield driver
    finally:
        driver.quit()


def wait_for(driver, script: str, timeout: float = 30, *args):
    """Wait until ``script`` (a JS expression's body, returning a value) is truthy; return it."""
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(
        lambda d: d.execute_script(script, *args))


def console_errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def requested_urls(driver) -> list[str]:
    """Every URL the page asked the network for, from Chromium's performance log."""
    import json

    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    """A static file server as a web host is one: with byte ranges, which video seeking uses."""

    requests: list

    def log_message(self, *args):
        pass

    def send_head(self):
        self.requests.append(self.path)
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", ""))
        path = self.translate_path(self.path)
        if not match or not os.path.isfile(path):
            return super().send_head()
        size = os.path.getsize(path)
        first, last = match.groups()
        start = int(first) if first else max(0, size - int(last))
        end = min(int(last), size - 1) if first and last else size - 1
        if start >= size:
            self.send_error(416)
            return None
        stream = open(path, "rb")
        stream.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        self.range_left = end - start + 1
        return stream

    def copyfile(self, source, outputfile):
        left = getattr(self, "range_left", None)
        if left is None:
            return super().copyfile(source, outputfile)
        while left > 0:
            block = source.read(min(left, 1 << 16))
            if not block:
                break
            try:
                outputfile.write(block)
            except (BrokenPipeError, ConnectionResetError):
                return  # the browser had what it needed and closed the connection, as browsers do
            left -= len(block)

    def end_headers(self):
        if not self.headers.get("Range"):
            self.send_header("Accept-Ranges", "bytes")
        super().end_headers()


class PlainHandler(http.server.SimpleHTTPRequestHandler):
    """Python's own static server as ``python3 -m http.server`` runs it: no byte ranges, so a
    browser cannot seek in a video it streams from it."""

    requests: list

    def log_message(self, *args):
        pass

    def send_head(self):
        self.requests.append(self.path)
        return super().send_head()


@contextmanager
def serve(folder: Path, ranges: bool = True):
    """Serve ``folder`` on 127.0.0.1 (a free port), answering byte ranges or, as Python's own
    ``http.server`` does, not; yields (base URL, list of requested paths)."""
    requests = []
    handler = type("Handler", (StaticHandler if ranges else PlainHandler,), {"requests": requests})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), lambda *a, **k: handler(*a, directory=str(folder), **k))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", requests
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """A headless Chromium for a test module (imported by the modules that drive the player)."""
    if not browser_available():
        pytest.skip("needs Debian's chromium and chromium-driver")
    with chromium(tmp_path_factory.mktemp("profile")) as driver:
        yield driver
