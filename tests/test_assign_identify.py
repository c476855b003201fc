"""Who a submission belongs to, and output folders an instructor can rely on (no kernels here).

Identity: Hangul names, the same file name in two folders, undecodable bytes, an id claimed in the
metadata that another file owns (refused with a reason), ids claimed twice. Outputs: the previous set
or the new set and never a mix (also after a crash in the middle of the move), the instructor's own
files untouched, folders that cannot be used refused before anything runs, modes as the umask says.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from qlab.assign.identify import feedback_name, identify
from qlab.assign.outputs import JOURNAL, MANIFEST, prepare
from qlab.errors import AssignmentError


def _nb(path: Path | bytes, student_id: str | None = None) -> str:
    meta = {"qlab": {"student_id": student_id}} if student_id else {}
    data = json.dumps({"cells": [], "metadata": meta, "nbformat": 4, "nbformat_minor": 5}).encode()
    raw = path if isinstance(path, bytes) else os.fsencode(path)
    os.makedirs(os.path.dirname(raw), exist_ok=True)
    with open(raw, "wb") as fh:
        fh.write(data)
    return os.fsdecode(raw)


def _cp949(subs):
    return [s for s in subs if os.fsencode(s.path).endswith(b"\xb1\xe8\xb9\xce\xbc\xf6.ipynb")]


def test_names_become_ids_whatever_their_script_or_bytes(tmp_path: Path) -> None:
    base = os.fsencode(tmp_path)
    paths = [
        _nb(tmp_path / "김민수.ipynb"),
        _nb(tmp_path / "sec1" / "alice.ipynb"),
        _nb(tmp_path / "sec2" / "alice.ipynb"),
        _nb(base + b"/\xb1\xe8\xb9\xce\xbc\xf6.ipynb"),  # 김민수.ipynb in CP949 (an old zip), beside it
        _nb(base + b"/sec1/x\xff\xfe.ipynb"),  # neither UTF-8 nor CP949
        str(tmp_path / "nobody.ipynb"),  # named, but missing: still gets its row
    ]
    subs = identify(paths + [paths[0]])  # the same file twice counts once
    ids = {s.name: s.student_id for s in subs if s not in _cp949(subs)}
    assert ids["김민수.ipynb"] == "김민수"
    assert ids["sec1/alice.ipynb"] == "sec1/alice" and ids["sec2/alice.ipynb"] == "sec2/alice"
    cp949 = _cp949(subs)
    assert cp949[0].student_id == "김민수~2"  # decoded, and kept apart from the UTF-8 김민수
    assert ids["sec1/x\ufffd\ufffd.ipynb"] == "x\ufffd\ufffd"
    assert ids["nobody.ipynb"] == "nobody"
    assert len(subs) == 6 and len({s.student_id for s in subs}) == 6
    assert [n.key for n in cp949[0].notes] == ["grade.note_duplicate_student"]
    assert all(os.path.lexists(s.path) for s in subs if s.name != "nobody.ipynb")  # paths still open


def test_nbgraders_submitted_folders_name_the_students(tmp_path: Path) -> None:
    """nbgrader's exchange files each submission as submitted/<student>/<assignment>/<notebook>:
    every file has the same name, the folder says whose it is, and no claim in the notebook can
    change that (the student did not choose the folder)."""
    paths = [_nb(tmp_path / "course" / "submitted" / "bitdiddle" / "ps1" / "problem1.ipynb"),
             _nb(tmp_path / "course" / "submitted" / "hacker" / "ps1" / "problem1.ipynb", student_id="bitdiddle"),
             _nb(tmp_path / "course" / "submitted" / "이서연" / "ps1" / "problem1.ipynb")]
    subs = identify(paths)
    assert sorted(s.student_id for s in subs) == ["bitdiddle", "hacker", "이서연"]
    assert all(not s.notes for s in subs)
    loose = identify([_nb(tmp_path / "loose" / "ps1" / "problem1.ipynb"),  # not in a submitted/ folder
                      _nb(tmp_path / "other" / "ps1" / "problem1.ipynb")])
    assert sorted(s.student_id for s in loose) == ["loose/ps1/problem1", "other/ps1/problem1"]


def test_a_claimed_id_is_used_unless_another_file_owns_it_or_it_is_claimed_twice(tmp_path: Path) -> None:
    paths = [
        _nb(tmp_path / "kim" / "lab.ipynb", "kim-minji"),  # released copies: one folder per student
        _nb(tmp_path / "lee" / "lab.ipynb", "lee-jun"),
        _nb(tmp_path / "kim" / "bob.ipynb"),
        _nb(tmp_path / "lee" / "thief.ipynb", "bob"),  # claims the id the file bob.ipynb owns
        _nb(tmp_path / "x" / "copy1.ipynb", "park"),  # two notebooks claim the same free id
        _nb(tmp_path / "x" / "copy2.ipynb", "park"),
    ]
    subs = {s.name: s for s in identify(paths)}
    assert subs["kim/lab.ipynb"].student_id == "kim-minji" and subs["lee/lab.ipynb"].student_id == "lee-jun"
    thief = subs["lee/thief.ipynb"]
    assert thief.student_id == "thief"
    (note,) = thief.notes
    assert note.key == "grade.note_id_refused_owned" and note.fields["owner"] == "kim/bob.ipynb"
    assert {subs[f"x/copy{i}.ipynb"].student_id for i in (1, 2)} == {"copy1", "copy2"}
    assert subs["x/copy1.ipynb"].notes[0].key == "grade.note_id_refused_shared"


def test_feedback_file_names_are_readable_and_unique_even_ignoring_case() -> None:
    taken: set[str] = set()
    names = [feedback_name(i, taken) for i in ("김민수", "Alice", "alice", "sec1/alice", "../x", "=1")]
    assert names == ["김민수", "Alice", "alice~2", "sec1_alice", "x", "=1"]


def _set(folder: Path, files: dict[str, str]) -> Path:
    staging = folder.staging() if hasattr(folder, "staging") else None
    assert staging is not None
    for name, text in files.items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_text(text, encoding="utf-8")
    return staging


def test_a_new_set_replaces_the_old_one_whole_and_leaves_other_files(tmp_path: Path) -> None:
    out = prepare(tmp_path / "grades")
    (out.path / "my-notes.txt").write_text("mine", encoding="utf-8")
    out.commit(_set(out, {"gradebook.csv": "v1", "feedback/a.md": "a1", "feedback/b.md": "b1"}))
    out.commit(_set(out, {"gradebook.csv": "v2", "feedback/a.md": "a2"}))
    assert (out.path / "gradebook.csv").read_text() == "v2" and (out.path / "feedback/a.md").read_text() == "a2"
    assert not (out.path / "feedback/b.md").exists()  # b is not in this run: no stale feedback
    assert (out.path / "my-notes.txt").read_text() == "mine"
    staging = _set(out, {"gradebook.csv": "v3"})
    out.discard(staging)  # an interrupted run
    assert (out.path / "gradebook.csv").read_text() == "v2" and not staging.exists()


def test_a_move_cut_short_is_finished_by_the_next_run(tmp_path: Path) -> None:
    out = prepare(tmp_path / "grades")
    out.commit(_set(out, {"gradebook.csv": "v1", "summary.md": "s1"}))
    staging = _set(out, {"gradebook.csv": "v2", "summary.md": "s2"})
    # the process died after the journal and the first move, before the second
    (out.path / JOURNAL).write_text(json.dumps({"staging": staging.name, "files": ["gradebook.csv", "summary.md"],
                                                "stale": []}))
    os.replace(staging / "gradebook.csv", out.path / "gradebook.csv")
    assert (out.path / "summary.md").read_text() == "s1"  # a mix, for now
    prepare(out.path)  # the next run starts by finishing the move
    assert (out.path / "summary.md").read_text() == "s2" and (out.path / "gradebook.csv").read_text() == "v2"
    assert not (out.path / JOURNAL).exists() and not staging.exists()
    assert json.loads((out.path / MANIFEST).read_text())["files"] == ["gradebook.csv", "summary.md"]


def test_unusable_output_folders_are_refused_before_anything_runs(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(AssignmentError, match="is a file, not a folder"):
        prepare(tmp_path / "file")
    with pytest.raises(AssignmentError, match="does not exist, and neither does"):
        prepare(tmp_path / "typo" / "grades")
    with pytest.raises(AssignmentError, match="Cannot write to the output folder"):
        prepare(tmp_path / "file" / "grades")  # its parent is a file: cannot be created
    with pytest.raises(AssignmentError, match="Cannot write to the output folder"):
        prepare("/proc/qlab-grades")  # a read-only file system (root can write anywhere else)
    assert prepare(tmp_path / "new").path.is_dir()  # only the folder itself missing: made


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_outputs_are_as_readable_as_the_umask_says(tmp_path: Path, mask: int, mode: int) -> None:
    import subprocess
    import sys

    # a fresh process: the umask is read once per process, as the command line does
    code = (f"import os; os.umask({mask}); from qlab.assign.outputs import prepare; "
            f"from qlab.assign.nbio import atomic_write; out = prepare({str(tmp_path / 'o')!r}); "
            "s = out.staging(); atomic_write(s / 'feedback' / 'a.md', 'x'); out.commit(s)")
    subprocess.run([sys.executable, "-c", code], check=True)
    got = stat.S_IMODE((tmp_path / "o" / "feedback" / "a.md").stat().st_mode)
    assert got == mode
