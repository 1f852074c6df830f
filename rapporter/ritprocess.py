"""Charts drawn in a process of their own while this one lays out the PDF.

A cold bilaga spends about as long drawing its charts (matplotlib) as laying out its pages
(WeasyPrint). Both are mostly Python, so in one process they take turns. `rita_alla` hands the
charts to a child process (`python -m rapporter.ritprocess`, which imports matplotlib and
`rapporter.ritning`, nothing of Django) and returns at once; the PDF asks for their bytes only
when it writes its images (`rapporter.pdfa`), after the layout. With a second core free the
charts then cost the cold PDF little.

- One child per process, started on first use and kept (it takes about half a second to
  start); a forked process starts its own.
- One job at a time: before a job is sent, the answers of those before it are read (the child is
  then waiting for input, so a write to it never waits on a child that waits for us). A lock
  keeps threads apart; after a fork the child process makes its own lock and child.
- Anything wrong with the child (it cannot start, dies, is silent for `TIDSGRANS` seconds or
  answers with an error) makes the job draw in this process instead, and the next job starts a
  new child: a chart is never missing, and it is the same bytes either way.

The child's protocol: each request and each answer is a pickle preceded by its length (8 bytes,
big-endian). A request is a list of `Uppdrag`; its answer the list of their `Ritat`, or a
string that says what went wrong. An answer longer than `STORSTA` is taken as garbage. The
child writes nothing else on its standard output (its file descriptor 1 is its standard error).
"""

from __future__ import annotations

import atexit
import collections
import logging
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

logger = logging.getLogger(__name__)

#: Seconds a job may wait for its answer before the child is given up (and the job drawn here).
TIDSGRANS = 120.0
#: The longest answer believed (bytes): a length above it is garbage on the pipe.
STORSTA = 256 * 1024 * 1024
_LANGD = struct.Struct(">Q")


@dataclass(frozen=True)
class Uppdrag:
    """One chart to draw: what `rapporter.ritning.rita` draws, and the formats wanted."""

    typ: str
    kategorier: tuple[str, ...]
    serier: tuple[tuple[str, tuple[int | None, ...]], ...]
    etiketter: tuple[tuple[str, ...], ...] | None
    format: tuple[str, ...]  # "svg", "png" or both, drawn from one figure
    dpi: int


#: A drawn chart: its bytes per format.
Ritat = dict[str, bytes]


def rita(uppdrag: Uppdrag) -> Ritat:
    """Draw one chart, in whichever process this runs."""
    from rapporter import ritning

    fig = ritning.rita(uppdrag.typ, uppdrag.kategorier, uppdrag.serier, uppdrag.etiketter)
    return {fmt: ritning.till_bytes(fig, fmt, uppdrag.dpi) for fmt in uppdrag.format}


class Jobb:
    """Charts sent to the child together; `resultat()` waits for them (or draws them here)."""

    def __init__(self, uppdrag: list[Uppdrag]) -> None:
        self.uppdrag = uppdrag
        self._ritat: list[Ritat] | None = None
        self.har = False  # to be drawn in this process, not the child
        self.barn: subprocess.Popen[bytes] | None = None  # the child it was sent to
        self._har_las = threading.Lock()

    def resultat(self) -> list[Ritat]:
        with _LAS:
            while self._ritat is None and not self.har:
                if self not in _BARN.ko or self.barn is not _BARN.process:
                    self.har = True  # its child is gone (given up, or in the process forked from)
                    break
                _las_nasta()
        if self._ritat is None:
            with self._har_las:
                if self._ritat is None:
                    self._ritat = [rita(u) for u in self.uppdrag]
        return self._ritat


class Ritning:
    """One chart of a job: its bytes in a format when they are asked for."""

    def __init__(self, jobb: Jobb, index: int) -> None:
        self.jobb, self.index = jobb, index
        self.format = jobb.uppdrag[index].format

    def bytes(self, fmt: str) -> bytes:
        return self.jobb.resultat()[self.index][fmt]


class _Barn:
    """The child process of this process, and the jobs whose answers are still to be read."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.pid = 0  # the process that started the child
        self.ko: collections.deque[Jobb] = collections.deque()


_LAS = threading.Lock()
_BARN = _Barn()
#: The latest charts asked for, drawn or being drawn, by what they show: asked again, a chart
#: is not drawn again (as `rapporter.diagram.rendera`'s cache does in this process).
_RITADE: collections.OrderedDict[tuple[object, ...], Ritning] = collections.OrderedDict()
SPARADE = 64


def _nyckel(uppdrag: Uppdrag) -> tuple[object, ...]:
    return (uppdrag.typ, uppdrag.kategorier, uppdrag.serier, uppdrag.etiketter, uppdrag.dpi)


def rita_alla(uppdrag: list[Uppdrag], *, egen_process: bool = True) -> list[Ritning]:
    """Start drawing the charts (in the child with `egen_process`, else here when their bytes
    are asked for) and return at once. A chart drawn or being drawn in the formats asked for
    is not drawn again."""
    with _LAS:
        ritningar: list[Ritning | None] = []
        for u in uppdrag:
            tidigare = _RITADE.get(_nyckel(u))
            if tidigare is not None and set(u.format) <= set(tidigare.format):
                _RITADE.move_to_end(_nyckel(u))
            else:
                tidigare = None
            ritningar.append(tidigare)
        jobb = Jobb([u for u, r in zip(uppdrag, ritningar, strict=True) if r is None])
        if jobb.uppdrag and egen_process:
            _skicka(jobb)
        else:
            jobb.har = True
        nya = iter(range(len(jobb.uppdrag)))
        for i, u in enumerate(uppdrag):
            if ritningar[i] is None:
                ritningar[i] = _RITADE[_nyckel(u)] = Ritning(jobb, next(nya))
        while len(_RITADE) > SPARADE:
            _RITADE.popitem(last=False)
    return [r for r in ritningar if r is not None]


def tom() -> None:
    """Forget the charts drawn (the benches measure cold drawing)."""
    with _LAS:
        _RITADE.clear()


def _skicka(jobb: Jobb) -> None:
    """Send the job to the child (the lock held); without a working child it draws here. The
    answers of the jobs before it are read first: the child then waits for input."""
    while _BARN.ko:
        _las_nasta()
    try:
        process = _process()
        _skriv(process.stdin, pickle.dumps(jobb.uppdrag, protocol=pickle.HIGHEST_PROTOCOL))
        jobb.barn = process
        _BARN.ko.append(jobb)
    except (OSError, ValueError):
        logger.warning("Diagramprocessen tog inte emot jobbet; ritar här", exc_info=True)
        _ge_upp()
        jobb.har = True


def _process() -> subprocess.Popen[bytes]:
    """The running child, started if there is none (or it belongs to the process we were forked
    from). The jobs sent to a child that has ended draw here."""
    if _BARN.pid != os.getpid():
        _efter_fork()
    if _BARN.process is not None and _BARN.process.poll() is not None:
        _ge_upp()
    if _BARN.process is None:
        rot = str(Path(__file__).resolve().parent.parent)
        miljo = {**os.environ, "PYTHONPATH": os.pathsep.join([rot, *sys.path])}
        _BARN.process = subprocess.Popen(
            [sys.executable, "-m", "rapporter.ritprocess"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,  # unbuffered: `select` sees every byte not yet read
            cwd=rot,
            env=miljo,
        )
    return _BARN.process


def _las_nasta() -> None:
    """Read the answer of the oldest job in the queue (the lock held). A child that fails is
    given up: every job still waiting for it draws here."""
    if _BARN.process is None:
        _ge_upp()
        return
    jobb = _BARN.ko[0]
    try:
        svar = pickle.loads(_las(_BARN.process.stdout, TIDSGRANS))
        if not isinstance(svar, list) or len(svar) != len(jobb.uppdrag):
            raise ValueError(f"diagramprocessen svarade: {svar!r}"[:500])
    except (OSError, EOFError, ValueError, pickle.UnpicklingError):
        logger.warning("Diagramprocessen svarade inte; ritar här", exc_info=True)
        _ge_upp()
        return
    except BaseException:
        # Interrupted half-way through an answer: the pipe is out of step with the child.
        _ge_upp()
        raise
    _BARN.ko.popleft()
    jobb._ritat = svar


def _ge_upp() -> None:
    """Stop the child (if it is ours); the jobs waiting for it draw here."""
    for jobb in _BARN.ko:
        jobb.har = True
    _BARN.ko.clear()
    process, _BARN.process = _BARN.process, None
    if process is not None and _BARN.pid == os.getpid():
        process.kill()
        process.wait()


def _efter_fork() -> None:
    """In a forked process: a lock of its own (the parent's may have been held by another
    thread at the fork), no child and no charts of the parent's."""
    global _LAS
    _LAS = threading.Lock()
    for jobb in _BARN.ko:
        jobb.har = True
    _BARN.ko.clear()
    _BARN.process, _BARN.pid = None, os.getpid()
    _RITADE.clear()


os.register_at_fork(after_in_child=_efter_fork)


@atexit.register
def _stang() -> None:
    """End the child with this process (it also ends by itself when its input closes)."""
    process = _BARN.process
    if process is not None and _BARN.pid == os.getpid() and process.stdin:
        process.stdin.close()
        try:
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            process.kill()


def _skriv(ut: IO[bytes] | None, data: bytes) -> None:
    if ut is None:
        raise OSError("ingen pipe")
    ut.write(_LANGD.pack(len(data)) + data)
    ut.flush()


def _las(inn: IO[bytes] | None, tidsgrans: float | None = None) -> bytes:
    """One message; EOFError when the pipe closes first, TimeoutError when all of it has not
    come in `tidsgrans` s, ValueError for a length above `STORSTA`."""
    if inn is None:
        raise OSError("ingen pipe")
    slut = None if tidsgrans is None else time.monotonic() + tidsgrans
    (langd,) = _LANGD.unpack(_exakt(inn, _LANGD.size, slut))
    if langd > STORSTA:
        raise ValueError(f"ett svar på {langd} byte")
    return _exakt(inn, langd, slut)


def _exakt(inn: IO[bytes], antal: int, slut: float | None = None) -> bytes:
    delar, kvar = [], antal
    while kvar:
        vanta = None if slut is None else max(slut - time.monotonic(), 0)
        if vanta is not None and not select.select([inn], [], [], vanta)[0]:
            raise TimeoutError("inget svar i tid")
        del_ = inn.read(kvar)
        if not del_:
            raise EOFError("pipen stängdes")
        delar.append(del_)
        kvar -= len(del_)
    return b"".join(delar)


def main() -> None:
    """The child: draw each request's charts and answer, until the input closes."""
    inn = sys.stdin.buffer
    # Nothing but answers on the pipe: they go to a copy of descriptor 1, and descriptor 1
    # (Python's prints and anything a C library writes) to standard error.
    ut = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    from rapporter import ritning  # noqa: F401  (matplotlib and the fonts loaded before work)

    while True:
        try:
            uppdrag: list[Uppdrag] = pickle.loads(_las(inn))
        except EOFError:
            return
        svar: Any
        try:
            svar = [rita(u) for u in uppdrag]
        except Exception as fel:  # said to the parent, which then draws itself
            svar = f"{type(fel).__name__}: {fel}"
        _skriv(ut, pickle.dumps(svar, protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    main()
