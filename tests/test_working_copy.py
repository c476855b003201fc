"""`make lab`'s working copy of the lessons, and its port check.

The copy is made on the first run and refreshed on later ones: a lesson the student changed is
kept, one they never touched follows the lessons, nothing is deleted, and each is rendered in the
student's language when the lessons can be (qlab.course.bilingual, stood in for here by a fake).
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import types
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import nbformat
import pytest

from qlab import port_check, working_copy
from qlab.working_copy import RECORD, WorkingCopyError, lesson_language, main, sync


def lesson(*sources: str) -> str:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(sources[0])] + [nbformat.v4.new_code_cell(s) for s in sources[1:]]
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
    return nbformat.writes(nb)


def actions(outcomes) -> dict[str, str]:
    return {o.path: o.action for o in outcomes}


@pytest.fixture()
def lessons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three lessons and a picture they show, and no bilingual renderer (copied as they are)."""
    monkeypatch.setattr(working_copy, "_renderer", lambda: None)
    src = tmp_path / "notebooks"
    (src / "img").mkdir(parents=True)
    (src / "01-a.ipynb").write_text(lesson("# A", "x = 1"), encoding="utf-8")
    (src / "02-b.ipynb").write_text(lesson("# B", "y = 2"), encoding="utf-8")
    (src / "03-c.ipynb").write_text(lesson("# C", "z = 3"), encoding="utf-8")
    (src / "img" / "star.svg").write_text("<svg/>", encoding="utf-8")
    (src / ".ipynb_checkpoints").mkdir()
    (src / ".ipynb_checkpoints" / "01-a-checkpoint.ipynb").write_text("{}", encoding="utf-8")
    return src


def run_cells(path: Path) -> None:
    """What running every cell in JupyterLab does to the file: outputs and counts, same sources."""
    nb = nbformat.read(path, as_version=4)
    for n, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.execution_count = n + 1
        cell.outputs = [nbformat.v4.new_output("stream", text="done\n")]
    nb.metadata["kernelspec"] = {"name": "qlab", "display_name": "Python (qlab)", "language": "python"}
    nbformat.write(nb, path)


def test_first_run_copies_every_lesson_as_it_is(lessons: Path, tmp_path: Path) -> None:
    copy = tmp_path / "my-lessons"
    got = actions(sync(lessons, copy, "en"))
    assert got == {"01-a.ipynb": "copied", "02-b.ipynb": "copied", "03-c.ipynb": "copied",
                   "img/star.svg": "copied"}  # checkpoints are not lessons
    for name in ("01-a.ipynb", "img/star.svg"):
        assert (copy / name).read_bytes() == (lessons / name).read_bytes()
    assert json.loads((copy / RECORD).read_text())["files"].keys() == got.keys()
    before = {p: p.stat().st_mtime_ns for p in copy.rglob("*.ipynb")}
    assert set(actions(sync(lessons, copy, "en")).values()) == {"unchanged"}
    assert {p: p.stat().st_mtime_ns for p in copy.rglob("*.ipynb")} == before  # nothing rewritten


def test_refresh_keeps_the_students_work_and_brings_the_rest_up_to_date(lessons: Path, tmp_path: Path) -> None:
    copy = tmp_path / "my-lessons"
    sync(lessons, copy, "en")
    # the student: edits lesson A, only runs lesson B, deletes lesson C, adds a notebook of their own
    mine = lesson("# A", "x = 1  # my answer: 42")
    (copy / "01-a.ipynb").write_text(mine, encoding="utf-8")
    run_cells(copy / "02-b.ipynb")
    (copy / "03-c.ipynb").unlink()
    (copy / "scratch.ipynb").write_text(lesson("# mine"), encoding="utf-8")
    # the lessons: A and B get a fix, a new lesson D arrives
    (lessons / "01-a.ipynb").write_text(lesson("# A (fixed)", "x = 1"), encoding="utf-8")
    (lessons / "02-b.ipynb").write_text(lesson("# B (fixed)", "y = 2"), encoding="utf-8")
    (lessons / "04-d.ipynb").write_text(lesson("# D", "w = 4"), encoding="utf-8")

    got = actions(sync(lessons, copy, "en"))
    assert got == {"01-a.ipynb": "kept_outdated", "02-b.ipynb": "updated", "03-c.ipynb": "restored",
                   "04-d.ipynb": "copied", "img/star.svg": "unchanged"}
    assert (copy / "01-a.ipynb").read_text(encoding="utf-8") == mine  # never overwritten
    assert (copy / "02-b.ipynb").read_bytes() == (lessons / "02-b.ipynb").read_bytes()
    assert (copy / "scratch.ipynb").is_file()  # the student's own notebook is left alone
    # and again: the edited lesson is still reported, until the student renames it
    assert actions(sync(lessons, copy, "en"))["01-a.ipynb"] == "kept_outdated"
    (copy / "01-a.ipynb").rename(copy / "01-a-mine.ipynb")
    assert actions(sync(lessons, copy, "en"))["01-a.ipynb"] == "restored"
    assert (copy / "01-a-mine.ipynb").read_text(encoding="utf-8") == mine


def test_an_edit_to_an_unchanged_lesson_is_kept_and_so_is_a_broken_file(lessons: Path, tmp_path: Path) -> None:
    copy = tmp_path / "my-lessons"
    sync(lessons, copy, "en")
    (copy / "01-a.ipynb").write_text(lesson("# A", "x = 99"), encoding="utf-8")
    (copy / "02-b.ipynb").write_text('{"cells": [', encoding="utf-8")  # half-saved
    got = actions(sync(lessons, copy, "en"))
    assert got["01-a.ipynb"] == "kept" and got["02-b.ipynb"] == "kept"
    assert (copy / "02-b.ipynb").read_text(encoding="utf-8") == '{"cells": ['


def test_without_a_record_existing_files_are_the_students(lessons: Path, tmp_path: Path) -> None:
    copy = tmp_path / "my-lessons"
    copy.mkdir()
    (copy / "01-a.ipynb").write_text(lesson("# A", "x = 'mine'"), encoding="utf-8")
    (copy / "02-b.ipynb").write_bytes((lessons / "02-b.ipynb").read_bytes())
    got = actions(sync(lessons, copy, "en"))
    assert got["01-a.ipynb"] == "kept_outdated" and got["02-b.ipynb"] == "unchanged"
    assert "x = 'mine'" in (copy / "01-a.ipynb").read_text(encoding="utf-8")


def test_lessons_are_rendered_in_the_students_language(lessons: Path, tmp_path: Path, monkeypatch) -> None:
    """With qlab.course.bilingual present, each notebook goes through render(nb, lang); switching
    language re-renders the untouched lessons and keeps the edited one."""
    calls = []

    def render(nb, lang):
        calls.append(lang)
        nb.cells[0].source += f" [{lang}]"
        return nb

    monkeypatch.setattr(working_copy, "_renderer", lambda: render)
    copy = tmp_path / "my-lessons"
    sync(lessons, copy, "ko")
    assert calls == ["ko"] * 3  # notebooks only, not the picture
    assert nbformat.read(copy / "01-a.ipynb", as_version=4).cells[0].source == "# A [ko]"
    (copy / "02-b.ipynb").write_text(lesson("# B [ko]", "y = 'mine'"), encoding="utf-8")
    got = actions(sync(lessons, copy, "en"))
    assert got["01-a.ipynb"] == "updated" and got["02-b.ipynb"] == "kept_outdated"
    assert nbformat.read(copy / "01-a.ipynb", as_version=4).cells[0].source == "# A [en]"


def test_the_renderer_is_found_when_the_lessons_ship_it(tmp_path: Path, monkeypatch) -> None:
    """qlab.course.bilingual.render when the module is there; None when it (or qlab.course) is
    not; a module that is there but broken is an error, not a silent copy."""
    package = types.ModuleType("qlab.course")
    package.__path__ = [str(tmp_path)]
    monkeypatch.setitem(sys.modules, "qlab.course", package)
    (tmp_path / "bilingual.py").write_text("def render(nb, lang):\n    return nb\n", encoding="utf-8")
    monkeypatch.delitem(sys.modules, "qlab.course.bilingual", raising=False)
    assert working_copy._renderer().__module__ == "qlab.course.bilingual"
    monkeypatch.setitem(sys.modules, "qlab.course.bilingual", None)  # not there
    assert working_copy._renderer() is None
    monkeypatch.delitem(sys.modules, "qlab.course.bilingual")
    (tmp_path / "bilingual.py").write_text("import a_module_nobody_has\n", encoding="utf-8")
    with pytest.raises(ModuleNotFoundError, match="a_module_nobody_has"):
        working_copy._renderer()
    monkeypatch.delitem(sys.modules, "qlab.course.bilingual", raising=False)


@pytest.mark.parametrize(
    "environ, expected",
    [
        ({"QLAB_LANG": "ko"}, "ko"),
        ({"QLAB_LANG": "en", "LANG": "ko_KR.UTF-8"}, "en"),  # the explicit choice wins
        ({"LANG": "ko_KR.UTF-8"}, "ko"),
        ({"LC_ALL": "ko_KR.eucKR", "LANG": "en_US.UTF-8"}, "ko"),  # LC_ALL before LANG
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "ko_KR.UTF-8"}, "en"),
        ({"LANGUAGE": "ko:en", "LANG": "C.UTF-8"}, "ko"),
        ({"LANG": "C"}, "en"),
        ({"QLAB_LANG": "fr", "LANG": "ko_KR.UTF-8"}, "ko"),  # not a qlab language: the locale
        ({}, "en"),
    ],
)
def test_language_from_qlab_lang_then_the_locale_then_english(environ, expected) -> None:
    assert lesson_language(environ) == expected


def test_the_command_reports_one_line_per_change_in_the_students_language(
    lessons: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("QLAB_LANG", "ko")
    copy = tmp_path / "my-lessons"
    assert main([str(lessons), str(copy)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("내 강의:") and len(out) == 1 + 4
    assert all(line.strip().endswith("복사함(새 강의)") for line in out[1:])
    (copy / "01-a.ipynb").write_text(lesson("# A", "x = 2"), encoding="utf-8")
    monkeypatch.setenv("QLAB_LANG", "en")
    assert main([str(lessons), str(copy)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == ["  01-a.ipynb: kept as you left it (your changes)", "  3 more up to date"]
    assert main(["--language"]) == 0 and capsys.readouterr().out == "en\n"


def test_bad_folders_are_named_not_a_traceback(tmp_path: Path, capsys) -> None:
    with pytest.raises(WorkingCopyError, match="not a folder of lessons"):
        sync(tmp_path / "nowhere", tmp_path / "copy", "en")
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "copy").write_text("a file", encoding="utf-8")
    assert main([str(tmp_path / "notebooks"), str(tmp_path / "copy")]) == 2
    err = capsys.readouterr().err
    assert "is a file" in err and "Traceback" not in err


# ---- the port ------------------------------------------------------------------------------------


class _Api(BaseHTTPRequestHandler):
    def do_GET(self):  # what a Jupyter server's /api answers
        body = json.dumps({"version": "2.0.0"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_busy_port_is_refused_naming_a_free_one(capsys) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        busy = other.getsockname()[1]
        assert port_check.main([str(busy)]) == 1
        err = capsys.readouterr().err
        free = int(err.rsplit("PORT=", 1)[1])
        assert f"Port {busy} is busy (another program" in err and free > busy
        assert port_check.is_free(free)
    assert port_check.main([str(busy)]) == 0  # free again once the other program stopped


def test_a_jupyter_already_running_there_is_named() -> None:
    server = HTTPServer(("127.0.0.1", 0), _Api)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        assert port_check.serves_jupyter(port)
        assert port_check.main([str(port)]) == 1
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("bad", ["abc", "80", "70000", ""])
def test_a_port_that_is_not_a_port_number(bad, capsys) -> None:
    assert port_check.main([bad]) == 2
    assert "not a port number" in capsys.readouterr().err
