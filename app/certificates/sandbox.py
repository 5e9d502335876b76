"""Where a Data Space's own certificate layout runs: it sees plain values only, and it is
bounded in work, in size and in time, so that no layout can stall a renderer or fill its memory.

Two fences:

1. **In the template engine** (Jinja's :class:`SandboxedEnvironment`, made stricter here), for
   the usual ways to make work out of little text, refused at once with a message for the
   layout's author: loops over ``range()`` may take :data:`MAX_STEPS` steps in all, nested or
   not; ``*``, ``**`` and ``~`` may not build text or lists longer than :data:`MAX_TEXT`; the
   page may not exceed :data:`MAX_OUTPUT` characters; ``lipsum`` and ``namespace`` (text
   generation, and state carried from one loop step to the next) are not offered.
2. **Around the process** (:func:`run_isolated`), for whatever the first fence misses (a filter
   with a huge width, a stylesheet that takes WeasyPrint minutes): a layout is checked and
   previewed in a child process with a deadline and a memory ceiling, and each certificate is
   drawn by a renderer under a deadline (``rendering``). A layout can cost its own Data Space
   a refused save or a failed certificate, never another Data Space its renderer.
"""

from __future__ import annotations

import contextvars
import multiprocessing
import os
import resource
import signal
from collections.abc import Callable, Iterator

from flask_babel import lazy_gettext as _l
from jinja2 import StrictUndefined
from jinja2.compiler import CodeGenerator
from jinja2.runtime import markup_join, str_join
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from app.errors import DomainError

#: Steps of ``range()`` loops in one filling in. The network's layout takes none; a layout
#: that lists the modules of a programme takes a few dozen.
MAX_STEPS = 10_000
#: The longest text or list one ``*``, ``**`` or ``~`` may build.
MAX_TEXT = 100_000
#: The longest page a layout may produce (the network's default is about 6,000 characters).
MAX_OUTPUT = 1_000_000


class TooMuchWork(SecurityError):
    """A layout asked for more work or text than a certificate needs."""


_steps_left: contextvars.ContextVar[int] = contextvars.ContextVar("steps_left", default=0)


def _counted(steps: range) -> Iterator[int]:
    for step in steps:
        left = _steps_left.get() - 1
        if left < 0:
            raise TooMuchWork(f"loops over range() take more than {MAX_STEPS} steps")
        _steps_left.set(left)
        yield step


def _bounded_range(*args) -> Iterator[int]:
    steps = range(*args)
    if len(steps) > MAX_STEPS:
        raise TooMuchWork(f"range() of more than {MAX_STEPS} steps")
    return _counted(steps)


def _length(value) -> int:
    return len(value) if isinstance(value, str | bytes | list | tuple) else 0


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles ``a ~ b`` to a bounded join (Jinja offers no hook for it)."""

    def visit_Concat(self, node, frame) -> None:
        self.write("environment.bounded_concat(context.eval_ctx.autoescape, (")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("))")


class BoundedSandbox(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})
    code_generator_class = _BoundedCodeGenerator

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined)
        for name in ("lipsum", "namespace"):
            self.globals.pop(name, None)
        self.globals["range"] = _bounded_range

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, int) and abs(right) > 1_000:
            raise TooMuchWork(f"a power above 1000 ({right})")
        if operator == "*":
            times = right if isinstance(right, int) else left if isinstance(left, int) else 1
            if max(_length(left), _length(right)) * abs(times) > MAX_TEXT:
                raise TooMuchWork(f"text or a list longer than {MAX_TEXT} characters")
        return super().call_binop(context, operator, left, right)

    @staticmethod
    def bounded_concat(autoescape: bool, pieces: tuple) -> str:
        if sum(len(str(piece)) for piece in pieces) > MAX_TEXT:
            raise TooMuchWork(f"text longer than {MAX_TEXT} characters")
        return (markup_join if autoescape else str_join)(pieces)


def fill(template, context: dict) -> str:
    """The template filled in, within the bounds above."""
    token = _steps_left.set(MAX_STEPS)
    try:
        pieces, size = [], 0
        for piece in template.generate(**context):
            size += len(piece)
            if size > MAX_OUTPUT:
                raise TooMuchWork(f"a page longer than {MAX_OUTPUT} characters")
            pieces.append(piece)
        return "".join(pieces)
    finally:
        _steps_left.reset(token)


# --- a child process with a deadline and a memory ceiling ------------------------------------

#: Memory a checked layout may take beyond what the process already had when it forked.
EXTRA_MEMORY = 512 * 1024 * 1024

TOO_BIG = _l("The layout needs more memory than a certificate may take; simplify it.")


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def limit_memory(extra: int = EXTRA_MEMORY) -> None:
    """Cap this process's address space at what it has now plus ``extra`` (Linux)."""
    ceiling = _address_space() + extra
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))


def _child(send, function: Callable, args: tuple) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        limit_memory()
        send.send(("ok", function(*args)))
    except DomainError as error:
        send.send(("refused", (str(error.message), error.field)))
    except MemoryError:
        send.send(("refused", (str(TOO_BIG), None)))
    except BaseException as error:
        send.send(("failed", f"{type(error).__name__}: {error}"[:300]))
    finally:
        send.close()
        os._exit(0)  # no atexit handlers or inherited pools: this is a fork of a web worker


def run_isolated(function: Callable, *args, seconds: float, field: str | None = None):
    """``function(*args)`` in a forked child, killed after ``seconds``. A DomainError it raises
    is raised here; an overrun or an exhausted memory becomes one, on ``field``."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, function, args), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(seconds):
            raise DomainError(_l("The layout took longer than %(seconds)s seconds to fill in; "
                                 "simplify it.", seconds=seconds), field=field)
        try:
            outcome, value = receive.recv()
        except EOFError:  # killed by the memory ceiling before it could answer
            raise DomainError(TOO_BIG, field=field) from None
    finally:
        child.kill()
        child.join()
        receive.close()
    if outcome == "refused":
        message, its_field = value
        raise DomainError(message, field=its_field or field)
    if outcome == "failed":
        raise DomainError(_l("The template cannot be filled in: %(problem)s", problem=value),
                          field=field)
    return value
