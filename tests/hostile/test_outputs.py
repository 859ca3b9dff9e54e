"""Outputs write where they were asked and nowhere else: no device, FIFO or planted symlink."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from conftest import CLAIMS, SEEDS
from gpu_brief.cli import app


def char_device(path: Path) -> Path:
    """A node like /dev/null (1, 3); needs root, as in CI and the containers the issue used."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("mknod needs root")
    return path


@pytest.mark.parametrize("kind", ["device", "fifo", "link-to-device"])
def test_ask_o_never_replaces_what_is_not_a_regular_file(runner, tmp_path: Path, kind: str) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "n"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        char_device(tmp_path / "dev" if kind == "link-to-device" else target)
        if kind == "link-to-device":
            target.symlink_to(tmp_path / "dev")
    before = os.stat(target).st_mode
    result = runner.invoke(
        app, ["ask", "Qui dirige OpenAI ?", "--claims", str(CLAIMS), "-o", str(target), "--force"]
    )
    assert result.exit_code == 2, result.output
    assert "not a regular file" in result.output
    assert os.stat(target).st_mode == before and not stat.S_ISREG(before)


def test_export_and_ingest_refuse_a_fifo_too(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    questions = tmp_path / "q.txt"
    questions.write_text("Qui dirige OpenAI ?\n", encoding="utf-8")
    exported = runner.invoke(
        app, ["export", str(questions), "--claims", str(CLAIMS), "-o", str(fifo), "--force"]
    )
    ingested = runner.invoke(app, ["ingest", str(SEEDS), "-o", str(fifo), "--force", "--no-progress"])
    assert exported.exit_code == 2 and ingested.exit_code == 2
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_chat_export_refuses_a_device_without_force(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    node = char_device(tmp_path / "n")
    script = f"Qui dirige OpenAI ?\n:export {node}\n:quit\n"
    result = runner.invoke(app, ["chat", "--claims", str(CLAIMS)], input=script)
    assert "not a regular file" in result.output
    assert stat.S_ISCHR(os.stat(node).st_mode)


def test_o_through_a_symlink_to_a_regular_file_still_works(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    real = tmp_path / "real.md"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    result = runner.invoke(
        app, ["ask", "Qui dirige OpenAI ?", "--claims", str(CLAIMS), "-o", str(link), "--force"]
    )
    assert result.exit_code == 0, result.output
    assert "Sam Altman" in link.read_text(encoding="utf-8")


def test_a_full_disk_is_a_clean_error(runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, handle) -> None:  # type: ignore[no-untyped-def]
            self.handle = handle

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            raise OSError(28, "No space left on device")

    def fdopen(fd, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        handle = real_fdopen(fd, mode, *args, **kwargs)
        return Full(handle) if "w" in mode else handle

    monkeypatch.setattr(os, "fdopen", fdopen)
    out = tmp_path / "a.md"
    result = runner.invoke(app, ["ask", "Qui dirige OpenAI ?", "--claims", str(CLAIMS), "-o", str(out)])
    assert result.exit_code == 2 and "No space left on device" in result.output
    assert not out.exists() and not list(tmp_path.glob(".*.tmp"))


def test_the_lock_file_never_follows_a_symlink(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out" / "claims.yaml"
    out.parent.mkdir()
    elsewhere = tmp_path / "elsewhere" / "f"
    elsewhere.parent.mkdir()
    (out.parent / ".claims.yaml.lock").symlink_to(elsewhere)
    result = runner.invoke(app, ["ingest", str(SEEDS), "-o", str(out), "--no-progress"])
    assert result.exit_code == 2 and "symlink" in result.output
    assert not elsewhere.exists() and not out.exists()


def test_the_lock_file_never_truncates_a_symlinked_file(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "claims.yaml"
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me\n", encoding="utf-8")
    (tmp_path / ".claims.yaml.lock").symlink_to(precious)
    runner.invoke(app, ["ingest", str(SEEDS), "-o", str(out), "--no-progress"])
    assert precious.read_text(encoding="utf-8") == "keep me\n"


def _console_script(args: list[str], env: dict[str, str], **kwargs):  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    kwargs.setdefault("stdout", subprocess.PIPE)
    return subprocess.run(
        [sys.executable, "-m", "gpu_brief", *args, "--claims", str(CLAIMS)],
        stderr=subprocess.PIPE,
        check=False,
        timeout=120,
        env=env,
        **kwargs,
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_stdout_on_a_full_disk_is_a_write_error_not_a_bug(warm_env: dict[str, str]) -> None:
    with open("/dev/full", "wb") as full:
        done = _console_script(["ask", "Qui dirige OpenAI ?"], warm_env, stdout=full)
    assert done.returncode == 74, done.stderr
    assert done.stderr.decode() == "gpu-brief: error: cannot write the output: No space left on device\n"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_an_ascii_terminal_gets_escapes_not_a_crash(fmt: str, warm_env: dict[str, str]) -> None:
    import json

    env = dict(warm_env, PYTHONIOENCODING="ascii")
    done = _console_script(["ask", "Pourquoi OpenAI a-t-il reporté GPT-4.5 ?", "--format", fmt], env=env)
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("ascii")
    if fmt == "json":
        assert json.loads(text)["answer"].startswith("en raison d'une pénurie de GPU")
    else:
        assert "p\\xe9nurie de GPU" in text
