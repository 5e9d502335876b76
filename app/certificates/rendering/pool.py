"""Many certificates at once, on every core, in forked renderer processes under a deadline."""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections import deque
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache
from multiprocessing.connection import wait
from typing import NamedTuple

from flask import current_app

from app.certificates.models import Certificate
from app.certificates.rendering.layers import render
from app.certificates.rendering.layout import SAMPLE, Design
from app.certificates.sandbox import limit_memory
from app.extensions import db

log = logging.getLogger(__name__)

#: What the forked rendering processes inherit: the app (they never touch the database) and
#: the designs of the Data Spaces (sent once, not with every certificate).
_pool_app = None
_designs: dict[int, Design] = {}

#: What a process renders once before it forks its renderers, so that they inherit every
#: script's font, WeasyPrint's and pyHanko's lazily loaded parts, and the signer: each renderer
#: otherwise spent about 0.3 s on its first certificate.
_WARM_UP = {**SAMPLE, "name": "Ana María محمد 王小明 김민준",
            "programme": {**SAMPLE["programme"], "languages": ["ar", "en"],
                          "title": {"en": "Warm-up", "ar": "إحماء"}}}


@lru_cache(maxsize=1)
def _prepare() -> None:
    """Once in a process's life (the scheduler is long-lived), before its first fork."""
    # Imported here, not above: pyHanko loads where PDFs are signed, never in a web worker.
    from app.certificates import pades

    with _pool_app.app_context():
        pades.sign(render(Certificate(id=0, snapshot=_WARM_UP, signature="")))


class RenderJob(NamedTuple):
    """One certificate to draw, as plain values: it travels to a renderer process."""

    certificate_id: int
    snapshot: dict
    signature: str
    language: str | None  # the participant's, shown beside a one-language programme's
    dataspace_id: int  # whose design draws it


class Rendered(NamedTuple):
    """A signed PDF, or why there is none (:data:`OVERRAN`, :data:`FAILED`)."""

    certificate_id: int
    pdf: bytes | None
    problem: str | None


#: Why a certificate has no PDF, as stored on it (``Certificate.render_problem``).
OVERRAN = "overran"
FAILED = "failed"


#: True in a renderer process: there a failure marks its certificate instead of stopping all.
_in_renderer = False


def _render_one(job: RenderJob) -> Rendered:
    """``(id, signed PDF, None)``, or, in a renderer, ``(id, None, FAILED)`` when it fails."""
    from app.certificates import pades  # not above: see _prepare

    transient = Certificate(id=job.certificate_id, snapshot=job.snapshot, signature=job.signature)
    with _pool_app.app_context():
        try:
            pdf = pades.sign(render(transient, _designs.get(job.dataspace_id), job.language))
        except Exception:
            if not _in_renderer:
                raise
            log.exception("certificate %s: could not be drawn", job.certificate_id)
            return Rendered(job.certificate_id, None, FAILED)
    return Rendered(job.certificate_id, pdf, None)
#: Memory a renderer may take beyond what it inherited (one takes about 75 MB).
RENDERER_MEMORY = 1024 * 1024 * 1024

#: A renderer is replaced after this many certificates: its memory levelled off after about
#: 100 here, but WeasyPrint's and Pango's caches are not ours to bound (a new one: ~50 ms).
CERTIFICATES_PER_RENDERER = 200


def _serve(connection) -> None:
    """A renderer process: draw the certificates the parent sends, one at a time."""
    global _in_renderer
    _in_renderer = True
    with _pool_app.app_context():  # the parent's connections are not ours: drop, never close
        db.engine.dispose(close=False)
    limit_memory(RENDERER_MEMORY)
    try:
        for job in iter(connection.recv, None):
            connection.send(_render_one(job))
    except (EOFError, KeyboardInterrupt):
        pass
    finally:
        connection.close()
        os._exit(0)  # no atexit handlers: they belong to the parent


@dataclass
class _Renderer:
    process: object
    connection: object
    job: RenderJob | None = None
    started: float = 0.0
    served: int = 0


class _Renderers:
    """Forked renderer processes under a deadline. One still drawing a certificate when the
    deadline passes is killed and replaced, whatever it is doing (deep in C code, or inside a
    handler that would swallow an exception): no layout can hold a renderer. The certificates
    of a Data Space whose layout overran are not tried again in this run, so one layout costs
    the others one deadline at most."""

    def __init__(self, workers: int, deadline: float):
        self.context = multiprocessing.get_context("fork")
        self.workers, self.deadline = workers, deadline
        self.overran: set[int] = set()

    def _start(self) -> _Renderer:
        ours, theirs = self.context.Pipe()
        process = self.context.Process(target=_serve, args=(theirs,), daemon=True)
        process.start()
        theirs.close()
        return _Renderer(process, ours)

    @staticmethod
    def _stop(renderer: _Renderer, kill: bool = False) -> None:
        if not kill:
            with suppress(OSError):
                renderer.connection.send(None)
            renderer.process.join(timeout=5)
        renderer.process.kill()  # no-op once it has exited
        renderer.process.join()
        renderer.connection.close()

    def run(self, jobs: list[RenderJob]):
        pending = deque(jobs)
        idle = [self._start() for _ in range(min(self.workers, len(jobs)))]
        busy: dict[object, _Renderer] = {}
        try:
            while pending or busy:
                while idle and pending:
                    job = pending.popleft()
                    if job.dataspace_id in self.overran:
                        yield Rendered(job.certificate_id, None, OVERRAN)
                        continue
                    renderer = idle.pop()
                    renderer.job, renderer.started = job, time.monotonic()
                    renderer.connection.send(job)
                    busy[renderer.connection] = renderer
                if not busy:
                    continue
                first_deadline = min(r.started for r in busy.values()) + self.deadline
                for connection in wait(list(busy), max(0.0, first_deadline - time.monotonic())):
                    renderer = busy.pop(connection)
                    renderer.served += 1
                    try:
                        result = connection.recv()
                    except EOFError:  # it died (its memory ceiling): the certificate failed
                        result = Rendered(renderer.job.certificate_id, None, FAILED)
                        renderer.served = CERTIFICATES_PER_RENDERER
                    if renderer.served >= CERTIFICATES_PER_RENDERER:  # a fresh one
                        self._stop(renderer)
                        renderer = self._start()
                    idle.append(renderer)
                    yield result
                now = time.monotonic()
                for connection, renderer in list(busy.items()):
                    if now - renderer.started >= self.deadline:
                        del busy[connection]
                        log.warning("certificate %s: not drawn within %s s; renderer killed",
                                    renderer.job.certificate_id, self.deadline)
                        self.overran.add(renderer.job.dataspace_id)
                        self._stop(renderer, kill=True)
                        idle.append(self._start())
                        yield Rendered(renderer.job.certificate_id, None, OVERRAN)
        finally:
            for renderer in idle:
                self._stop(renderer)
            for renderer in busy.values():
                self._stop(renderer, kill=True)


def _custom(design: Design | None) -> bool:
    return design is not None and bool(design.html or design.css)


def render_many(jobs: list[RenderJob], workers: int,
                designs: dict[int, Design] | None = None):
    """Yield a :class:`Rendered` as each certificate is ready; ``designs`` holds the design of
    each job's Data Space. Rendering costs about ten
    times a page view, so it runs here, in the scheduler or command process, never in a web
    worker. A Data Space's own layout is always drawn by renderer processes under a deadline
    (``CERTIFICATE_RENDER_SECONDS``, :class:`_Renderers`); the network's layout, when there is
    one core to use or one certificate to draw, in this process."""
    global _pool_app, _designs
    _pool_app, _designs = current_app._get_current_object(), designs or {}
    custom = any(_custom(design) for design in _designs.values())
    if not custom and (workers <= 1 or len(jobs) < 2):
        yield from map(_render_one, jobs)
        return
    _prepare()
    renderers = _Renderers(max(workers, 1), current_app.config["CERTIFICATE_RENDER_SECONDS"])
    yield from renderers.run(jobs)
