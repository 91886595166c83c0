"""Reading and writing user files (``kconvert.files``): every failure a diagnostic, nothing lost.

Tests run as root in CI, where permission bits do not stop a write: the
read-only refusal is checked through the mode bits kconvert reads, and
permission errors are produced by making the system call fail.
"""

from __future__ import annotations

import errno
import io
import os
import resource
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kconvert.files import read_stdin, read_text, write_atomic
from kconvert.files.temp import SUFFIX
from kconvert.types import Diagnostic

OLD = "import keras\nmodel = 1\n"
NEW = "import keras\nmodel = 2\n"


@pytest.fixture
def model(tmp_path: Path) -> Path:
    path = tmp_path / "model.py"
    path.write_text(OLD)
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(SUFFIX))


# --- reading -------------------------------------------------------------------------------------


def test_reads_exact_text_with_its_newlines(tmp_path):
    path = tmp_path / "crlf.py"
    path.write_bytes(b"\xef\xbb\xbfx = 1\r\ny = 2\r\n")
    assert read_text(path) == "\ufeffx = 1\r\ny = 2\r\n"


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.py"
    os.mkfifo(fifo)
    problem = read_text(fifo)
    assert isinstance(problem, Diagnostic)
    assert "named pipe" in problem.message


def test_a_device_is_refused_without_reading():
    problem = read_text(Path("/dev/zero"))
    assert isinstance(problem, Diagnostic) and "character device" in problem.message


def test_a_file_over_the_limit_is_refused(model):
    problem = read_text(model, limit=10)
    assert isinstance(problem, Diagnostic) and "larger than" in problem.message


def test_standard_input_over_the_limit_is_refused():
    problem = read_stdin(io.BytesIO(b"x" * 100), limit=10)
    assert isinstance(problem, Diagnostic) and "larger than" in problem.message


def test_invalid_utf8_is_located_on_stdin_and_by_path(model):
    data = b"import keras\nx = '\xff'\n"
    model.write_bytes(data)
    for problem in (read_stdin(io.BytesIO(data)), read_text(model)):
        assert isinstance(problem, Diagnostic)
        assert (problem.line, problem.col) == (2, 6)
        assert "0xff" in problem.message


# --- writing -------------------------------------------------------------------------------------


def test_write_replaces_the_text_and_leaves_no_temporary(model):
    assert write_atomic(model, NEW, expected=OLD) is None
    assert model.read_text() == NEW
    assert leftovers(model.parent) == []


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path, model):
    link = tmp_path / "link.py"
    link.symlink_to(model.name)
    assert write_atomic(link, NEW, expected=OLD) is None
    assert link.is_symlink() and os.readlink(link) == model.name
    assert model.read_text() == NEW


def test_a_read_only_file_is_refused(model):
    model.chmod(0o444)
    problem = write_atomic(model, NEW, expected=OLD)
    assert isinstance(problem, Diagnostic) and "read-only" in problem.message
    assert model.read_text() == OLD


def test_mode_owner_and_extended_attributes_are_kept(model):
    model.chmod(0o640)
    if os.geteuid() == 0:
        os.chown(model, 1234, 5678)
    try:
        os.setxattr(model, "user.kconvert", b"kept")
    except OSError:
        pytest.skip("this file system has no user extended attributes")
    before = model.stat()
    assert write_atomic(model, NEW, expected=OLD) is None
    after = model.stat()
    assert after.st_ino != before.st_ino  # really replaced, not rewritten in place
    assert (after.st_mode, after.st_uid, after.st_gid) == (before.st_mode, before.st_uid, before.st_gid)
    assert os.getxattr(model, "user.kconvert") == b"kept"


def test_a_hard_link_is_split(tmp_path, model):
    other = tmp_path / "other.py"
    os.link(model, other)
    assert write_atomic(model, NEW, expected=OLD) is None
    assert (model.read_text(), other.read_text()) == (NEW, OLD)


def test_a_change_made_meanwhile_is_not_overwritten(model):
    model.write_text("import keras\nmodel = 'edited by the user'\n")
    problem = write_atomic(model, NEW, expected=OLD)
    assert isinstance(problem, Diagnostic) and "changed while" in problem.message
    assert "edited by the user" in model.read_text()
    assert leftovers(model.parent) == []


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.ENOSPC, "No space left"), (errno.EACCES, "Permission denied"), (errno.EFBIG, "too large")],
)
def test_a_failing_write_is_a_diagnostic_and_changes_nothing(monkeypatch, model, code, words):
    def fail(descriptor, data):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "write", fail)
    problem = write_atomic(model, NEW, expected=OLD)
    assert isinstance(problem, Diagnostic) and words in problem.message
    assert model.read_text() == OLD
    assert leftovers(model.parent) == []


def test_a_folder_without_write_permission_is_a_diagnostic(monkeypatch, model):
    real_open = os.open

    def refuse_new_files(path, flags, *args):
        if flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refuse_new_files)
    problem = write_atomic(model, NEW, expected=OLD)
    assert isinstance(problem, Diagnostic) and "Permission denied" in problem.message
    assert model.read_text() == OLD


def test_the_file_size_limit_is_a_diagnostic(model):
    """EFBIG for real: RLIMIT_FSIZE in a child process (Python ignores SIGXFSZ)."""
    code = "import sys; from pathlib import Path; from kconvert.files import write_atomic; "
    code += f"p = write_atomic(Path({str(model)!r}), 'x' * 100_000, expected={OLD!r}); print(p.render())"
    limit = lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))  # noqa: E731
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, preexec_fn=limit, timeout=60)
    assert "File too large" in done.stdout, done.stderr
    assert model.read_text() == OLD
    assert leftovers(model.parent) == []


def test_stale_temporaries_of_dead_processes_are_removed(model):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = model.with_name(f".{model.name}.{dead.pid}{SUFFIX}")
    alive = model.with_name(f".{model.name}.1{SUFFIX}")  # pid 1 always runs
    stale.write_text("left by a killed run")
    alive.write_text("another run's, in progress")
    assert write_atomic(model, NEW, expected=OLD) is None
    assert leftovers(model.parent) == [alive.name]


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_during_the_write_removes_the_temporary(model, number):
    code = textwrap.dedent(
        f"""
        import os
        from pathlib import Path
        from kconvert.files import write_atomic
        os.fsync = lambda descriptor: os.kill(os.getpid(), {int(number)})
        write_atomic(Path({str(model)!r}), "new text", expected={OLD!r})
        print("survived the signal")
        """
    )
    # The child starts as a terminal's process would, whatever this run ignores (nohup ignores SIGHUP).
    default = lambda: signal.signal(number, signal.SIG_DFL)  # noqa: E731
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, preexec_fn=default)
    assert done.returncode == -number, done.stderr
    assert "survived" not in done.stdout
    assert model.read_text() == OLD
    assert leftovers(model.parent) == []
