"""``qlab kit list | new | score``: hackathon kits from the command line (messages in en / ko).

    qlab kit list
    qlab kit new ghz5-spark team-a --team "Team A"
    qlab kit score ghz5-spark submissions/*.py -o board
    qlab kit score my-challenge subs/ -o board --challenges organiser/challenges

Set ``QLAB_LANG=ko`` for Korean messages.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..i18n import t


def register(sub: argparse._SubParsersAction) -> None:
    kit = sub.add_parser("kit", help=t("kit.help_kit"), description=t("kit.help_kit"))
    ksub = kit.add_subparsers(dest="kit_command", metavar="{list,new,score}")
    kit.set_defaults(func=lambda args: (kit.print_help(), 0)[1])

    def challenges_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--challenges", action="append", default=[], metavar="DIR",
                       help=t("kit.help_challenges"))

    p = ksub.add_parser("list", help=t("kit.help_list"), description=t("kit.help_list"))
    challenges_option(p)
    p.set_defaults(func=_list)

    p = ksub.add_parser("new", help=t("kit.help_new"), description=t("kit.help_new"))
    p.add_argument("challenge", metavar="CHALLENGE", help=t("kit.help_challenge"))
    p.add_argument("directory", metavar="DIR", help=t("kit.help_dir"))
    p.add_argument("--team", required=True, metavar="NAME", help=t("kit.help_team"))
    challenges_option(p)
    p.set_defaults(func=_new)

    p = ksub.add_parser("score", help=t("kit.help_score"), description=t("kit.help_score"))
    p.add_argument("challenge", metavar="CHALLENGE", help=t("kit.help_challenge"))
    p.add_argument("submissions", nargs="+", metavar="SUBMISSION", help=t("kit.help_submissions"))
    p.add_argument("-o", "--output", required=True, metavar="DIR", help=t("kit.help_output"))
    p.add_argument("--time-limit", type=float, default=None, metavar="SECONDS",
                   help=t("kit.help_time_limit"))
    p.add_argument("--memory-mb", type=int, default=None, metavar="MB", help=t("kit.help_memory"))
    p.add_argument("-q", "--quiet", action="store_true", help=t("kit.help_quiet"))
    p.add_argument("--team", metavar="NAME", help=t("kit.help_team_name"))
    p.add_argument("--arrivals", metavar="FILE", help=t("kit.help_arrivals"))
    p.add_argument("-j", "--jobs", type=int, default=None, help=t("kit.help_jobs"))
    p.add_argument("--require-sandbox", action="store_true", help=t("kit.help_require_sandbox"))
    challenges_option(p)
    p.set_defaults(func=_score)


def _list(args: argparse.Namespace) -> int:
    from .registry import challenges

    found = challenges(args.challenges)
    if not found:
        print(t("kit.list_empty"))
        return 0
    print(t("kit.list_header"))
    for c in found.values():
        print(f"  {c.id:20s} {c.device:12s} {c.text('title')}")
    print(t("kit.list_footer"))
    return 0


def _new(args: argparse.Namespace) -> int:
    from .new import create_kit
    from .registry import load_challenge

    challenge = load_challenge(args.challenge, args.challenges)
    out = create_kit(challenge, args.directory, args.team)
    print(t("kit.new_done", path=out, team=args.team.strip(), title=challenge.text("title")))
    for name in ("README.md", "notebook.ipynb", "submission.py", "score_local.py"):
        print(f"  {out / name}")
    print(t("kit.new_next", path=out))
    return 0


def _expand(paths: list[str]) -> list[str]:
    """A folder of submissions stands for its ``*.py`` files and team kit folders, sorted."""
    out: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir() and not (p / "submission.py").is_file():
            items = sorted(
                x for x in p.iterdir()
                if (x.suffix == ".py" and x.is_file()) or (x.is_dir() and (x / "submission.py").is_file())
            )
            out.extend(str(x) for x in items)
        else:
            out.append(raw)
    return out


def _score(args: argparse.Namespace) -> int:
    """Exit code 0 when every named submission exists (invalid ones included), 1 when one does not,
    2 for a problem found before scoring (bad challenge, limits or output folder)."""
    from ..assign.outputs import prepare
    from ..errors import QlabError
    from .leaderboard import write_leaderboard
    from .new import check_team
    from .registry import load_challenge
    from .score import Arrivals, score_submissions, submission_file

    challenge = load_challenge(args.challenge, args.challenges)
    if args.time_limit is not None and not 0 < args.time_limit <= 3600:
        raise QlabError(t("kit.bad_limit", option="--time-limit", allowed="0 < SECONDS <= 3600"))
    if args.memory_mb is not None and not 256 <= args.memory_mb <= 65536:
        raise QlabError(t("kit.bad_limit", option="--memory-mb", allowed="256..65536"))
    files = _expand(args.submissions)
    names = None
    if args.team is not None:
        if len(files) != 1:
            raise QlabError(t("kit.team_needs_one", count=len(files)))
        names = [check_team(args.team)]
    out = prepare(args.output)  # before any team code runs: a bad output folder stops here
    ledger = Path(args.arrivals) if args.arrivals else out.path / "arrivals.json"
    arrivals = Arrivals(ledger)
    if not args.quiet:
        print(t("kit.score_start", count=len(files), title=challenge.text("title"),
                seconds=f"{args.time_limit or challenge.seconds:g}",
                mb=args.memory_mb or challenge.memory_mb))

    def report(e) -> None:
        if args.quiet:
            return
        if e.valid:
            print("  " + t("kit.score_ok", team=e.team, score=f"{e.score:.{challenge.digits}f}",
                           seconds=f"{e.seconds:.1f}"))
        else:
            print("  " + t("kit.score_invalid", team=e.team, reason=e.reason))

    entries = score_submissions(challenge, files, seconds=args.time_limit, memory_mb=args.memory_mb,
                                on_entry=report, jobs=args.jobs, arrivals=arrivals, names=names,
                                sandbox="require" if args.require_sandbox else "auto")
    staging = out.staging()
    try:
        written = write_leaderboard(challenge, entries, staging)
        if not args.arrivals:
            (staging / "arrivals.json").write_text(arrivals.to_json(), encoding="utf-8")
        out.commit(staging)
    except BaseException:
        out.discard(staging)
        raise
    if args.arrivals:
        from ..assign.nbio import atomic_write

        atomic_write(ledger, arrivals.to_json())
    paths = {key: out.path / p.relative_to(staging) for key, p in written.items()}
    if not args.quiet:
        best = next((e for e in entries if e.valid), None)
        if best is not None:
            print(t("kit.score_best", team=best.team, score=f"{best.score:.{challenge.digits}f}"))
        print(t("kit.score_written", html=paths["html"], csv=paths["csv"], md=paths["md"]))
    missing = [f for f in files if not submission_file(f).is_file()]
    return 1 if missing else 0
