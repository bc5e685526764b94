"""Chromium started once per process and reused for every PDF it prints (the fallback when Typst is missing).

``chromium --headless --print-to-pdf`` starts a whole browser for one page: ~1,3 s per report here, most
of a batch worker's time per region. Instead one headless Chromium per process is driven over the
DevTools protocol on a pipe (``--remote-debugging-pipe``: fd 3 carries commands in, fd 4 replies out,
each JSON message ended by a NUL byte). A PDF then costs a page load and ``Page.printToPDF``, ~0,3 s.

Why a pipe and our own ~100 lines rather than Playwright (a test dependency here): a pipe needs no port
(parallel workers cannot collide) and nothing but the standard library; and when the worker dies, even
by kill -9, its end of the pipe closes and Chromium exits by itself, so no browser is left as an orphan.
Chromium runs in its own session, so the Ctrl-C meant for ``spm batch`` does not cut a PDF in half; the
batch stops its workers, and each worker closes its browser (``close_shared``, also at interpreter exit).

Pipes are passed by a POSIX shell (``3<&0 4>&1``); elsewhere ``print_once`` launches a browser per PDF.
"""
from __future__ import annotations

import atexit
import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from spm_helpers.errors import SPMError
from spm_helpers.files import atomic_path

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
         "--disable-breakpad", "--disable-crash-reporter", "--mute-audio")
# fd 0/1 of the shell are our two pipe ends; Chromium wants them as 3 (commands) and 4 (replies)
_TRAMPOLINE = 'exec "$@" 3<&0 4>&1 0</dev/null 1>/dev/null'
START_TIMEOUT = 30.0
CLOSE_TIMEOUT = 5.0
PROFILE_TMP: str | None = None  # folder for browser profiles; a batch worker sets its pool's scratch folder


def pooled() -> bool:
    """Whether this system can keep a browser on a pipe (POSIX shell); otherwise one launch per PDF."""
    return os.name == "posix" and shutil.which("sh") is not None


class BrowserError(SPMError):
    """The DevTools conversation failed (browser crashed, hung or refused a command)."""


class PdfBrowser:
    """One headless Chromium and one tab, printing HTML files to PDF one after another (thread-safe)."""

    def __init__(self, exe: str, profile_parent: str | None = None):
        self.exe = exe
        self.profile_parent = profile_parent
        self.launches = 0  # how many times a browser process was started (tests, benchmarks)
        self.printed = 0
        self.proc: subprocess.Popen | None = None
        self._send_fd = self._recv_fd = -1
        self._buf = b""
        self._events: list[dict] = []
        self._next_id = 0
        self._session: str | None = None
        self._profile: str | None = None
        self._owner = os.getpid()
        self._lock = threading.Lock()

    # ------------------------------------------------------------------------------ life cycle
    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> None:
        self._profile = tempfile.mkdtemp(prefix="spm-chromium-", dir=self.profile_parent)
        cmd_r, cmd_w = os.pipe()
        res_r, res_w = os.pipe()
        try:
            self.proc = subprocess.Popen(
                ["sh", "-c", _TRAMPOLINE, "sh", self.exe, *FLAGS, "--remote-debugging-pipe",
                 f"--user-data-dir={self._profile}", "about:blank"],
                stdin=cmd_r, stdout=res_w, stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError as exc:
            for fd in (cmd_r, cmd_w, res_r, res_w):
                os.close(fd)
            self._remove_profile()
            raise BrowserError(f"Chromium ({self.exe}) tidak dapat dijalankan: {exc}") from exc
        os.close(cmd_r)
        os.close(res_w)
        self._send_fd, self._recv_fd = cmd_w, res_r
        os.set_inheritable(cmd_w, False)
        os.set_inheritable(res_r, False)
        self._buf, self._events = b"", []
        self.launches += 1
        deadline = time.monotonic() + START_TIMEOUT
        target = self._call("Target.createTarget", {"url": "about:blank"}, deadline=deadline)["targetId"]
        self._session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True},
                                   deadline=deadline)["sessionId"]
        self._call("Page.enable", session=True, deadline=deadline)

    def close(self) -> None:
        """Close the pipe (Chromium exits on its own), wait a moment, kill if it did not; remove the profile."""
        for fd in (self._send_fd, self._recv_fd):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._send_fd = self._recv_fd = -1
        if self.proc is not None:
            try:
                self.proc.wait(CLOSE_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(CLOSE_TIMEOUT)
        self.proc = None
        self._session = None
        self._remove_profile()

    def _remove_profile(self) -> None:
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)
        self._profile = None

    # ------------------------------------------------------------------------------ printing
    def print_pdf(self, html_path: str | Path, pdf_path: str | Path, timeout: float = 120) -> Path:
        """Print ``html_path`` to ``pdf_path`` (atomically), starting the browser if needed; a browser that
        died or hung is replaced once before giving up."""
        html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path)
        with self._lock:
            try:
                data = self._print(html_path, timeout)
            except BrowserError:
                self.close()
                try:
                    data = self._print(html_path, timeout)
                except BaseException:
                    self.close()  # not left half-way for the next document
                    raise
            except SPMError:  # the page, not the browser (a missing file): the browser stays
                raise
            except BaseException:  # interrupted mid-conversation: the pipe may hold half a reply
                self.close()
                raise
            with atomic_path(pdf_path) as tmp:
                tmp.write_bytes(data)
            self.printed += 1
        return pdf_path

    def _print(self, html_path: Path, timeout: float) -> bytes:
        if not self.alive or self._session is None:
            self.close()
            self.start()
        deadline = time.monotonic() + timeout
        self._events.clear()
        nav = self._call("Page.navigate", {"url": html_path.as_uri()}, session=True, deadline=deadline)
        if nav.get("errorText"):
            raise SPMError(f"Chromium tidak dapat membuka {html_path.name}: {nav['errorText']}")
        self._wait_event("Page.loadEventFired", deadline)
        # the defaults of --print-to-pdf (background colours, the page's @page size), plus PDF bookmarks
        result = self._call("Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True,
                                                "displayHeaderFooter": False, "generateDocumentOutline": True},
                            session=True, deadline=deadline)
        return base64.b64decode(result["data"])

    # ------------------------------------------------------------------------------ protocol
    def _call(self, method: str, params: dict | None = None, *, session: bool = False, deadline: float) -> dict:
        self._next_id += 1
        msg: dict = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self._session
        payload = json.dumps(msg).encode("utf-8") + b"\0"
        try:
            while payload:
                payload = payload[os.write(self._send_fd, payload):]
        except OSError as exc:
            raise BrowserError(f"Chromium berhenti ({method}): {exc}") from exc
        while True:
            reply = self._read(deadline, method)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"Chromium menolak {method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            if "method" in reply:
                self._events.append(reply)

    def _wait_event(self, name: str, deadline: float) -> dict:
        while True:
            for i, event in enumerate(self._events):
                if event.get("method") == name and event.get("sessionId") == self._session:
                    return self._events.pop(i)
            self._events.append(self._read(deadline, name))

    def _read(self, deadline: float, what: str) -> dict:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            ready = select.select([self._recv_fd], [], [], max(0.0, left))[0] if left > 0 else []
            if not ready:
                raise BrowserError(f"Chromium tidak menjawab dalam batas waktu ({what}).")
            chunk = os.read(self._recv_fd, 1 << 20)
            if not chunk:
                raise BrowserError(f"Chromium berhenti tak terduga ({what}).")
            self._buf += chunk
        line, self._buf = self._buf.split(b"\0", 1)
        return json.loads(line)


# ---------------------------------------------------------------------------------------------- one per process
_SHARED: PdfBrowser | None = None
_SHARED_LOCK = threading.Lock()


def shared(exe: str) -> PdfBrowser:
    """This process's browser for ``exe`` (started on its first PDF, closed by ``close_shared`` or at exit)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is not None and (_SHARED.exe != exe or _SHARED._owner != os.getpid()):
            if _SHARED._owner == os.getpid():
                _SHARED.close()
            _SHARED = None  # a forked child never touches its parent's browser
        if _SHARED is None:
            _SHARED = PdfBrowser(exe, PROFILE_TMP)
        return _SHARED


def current() -> PdfBrowser | None:
    """The browser ``shared`` handed out in this process, if any (tests, benchmarks)."""
    return _SHARED if _SHARED is not None and _SHARED._owner == os.getpid() else None


def close_shared() -> None:
    """Close this process's browser (worker exit, Dask teardown, interpreter exit); harmless if none."""
    global _SHARED
    with _SHARED_LOCK:
        browser, _SHARED = _SHARED, None
    if browser is not None and browser._owner == os.getpid():
        browser.close()


atexit.register(close_shared)


def print_once(exe: str, html_path: str | Path, pdf_path: str | Path, timeout: float = 120) -> Path:
    """One browser launch for one PDF (``--print-to-pdf``): systems without a POSIX shell, and the benchmark's
    per-document baseline."""
    html_path = Path(html_path).resolve()
    pdf_path = Path(pdf_path)
    with tempfile.TemporaryDirectory(prefix="spm-chromium-", dir=PROFILE_TMP) as profile, \
            atomic_path(pdf_path) as tmp:
        cmd = [exe, *FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={tmp}",
               html_path.as_uri()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0 or not tmp.exists() or tmp.stat().st_size == 0:
            raise SPMError(f"Chromium gagal membuat PDF dari {html_path.name}: {proc.stderr.strip()[-300:]}")
    return pdf_path
