"""The leaderboard: ``leaderboard.csv``, ``leaderboard.md``, ``leaderboard.html`` (with a plot) and
``results.json``.

The CSV and the Markdown hold only what scoring decides (scores, counts, reasons, file times), so
two runs over the same files give byte-identical files: ``diff`` shows the scoring reproduced. The
HTML page adds how long each submission ran, and a bar chart embedded as a PNG, so the page is one
file an organiser can put on a projector or a USB stick. Team names and reasons come from
submissions: they are escaped everywhere (HTML, Markdown, and CSV cells that a spreadsheet would
read as a formula).
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..i18n import t
from .registry import Challenge
from .score import Entry

CSV_FIELDS = ("rank", "team", "score", "two_qubit_gates", "gates", "status", "reason", "details",
              "submitted", "file")


def _when(mtime: float) -> str:
    if not mtime:
        return ""
    return datetime.fromtimestamp(mtime, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _score_text(e: Entry, challenge: Challenge) -> str:
    return "" if e.score is None else f"{e.score:.{challenge.digits}f}"


def _details(e: Entry) -> str:
    return "; ".join(f"{k}={v}" for k, v in e.details.items())


def _none(v: object) -> str:
    return "" if v is None else str(v)


def tie_rule_text(challenge: Challenge) -> str:
    """The tie rule in words, as stated on every leaderboard."""
    order = t("kit.tie_higher") if challenge.higher_is_better else t("kit.tie_lower")
    rules = [t(f"kit.tie_{rule}") for rule in challenge.tie_break]
    return t("kit.tie_rule", metric=challenge.text("metric_name"), order=order, rules=" → ".join(rules))


def _spreadsheet_safe(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_csv(challenge: Challenge, entries: Sequence[Entry], path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(CSV_FIELDS)
        for e in entries:
            w.writerow(
                [
                    _none(e.rank),
                    _spreadsheet_safe(e.team),
                    _score_text(e, challenge),
                    _none(e.two_qubit_gates),
                    _none(e.gates),
                    "ok" if e.valid else "invalid",
                    _spreadsheet_safe(e.reason),
                    _spreadsheet_safe(_details(e)),
                    _when(e.submitted),
                    _spreadsheet_safe(e.file),
                ]
            )
    return path


def _md(text: str) -> str:
    return html.escape(text, quote=False).replace("|", "\\|").replace("\n", " ")


def write_markdown(challenge: Challenge, entries: Sequence[Entry], path: Path) -> Path:
    lines = [
        f"# {t('kit.board_title', title=_md(challenge.text('title')))}",
        "",
        t("kit.board_about", id=challenge.id, device=challenge.device, seed=challenge.seed,
          metric=_md(challenge.text("metric_name")),
          better=t("kit.better_higher") if challenge.higher_is_better else t("kit.better_lower")),
        "",
        f"*{_md(tie_rule_text(challenge))}*",
        "",
        "| " + " | ".join(t(f"kit.col_{c}") for c in ("rank", "team", "score", "two_qubit_gates",
                                                     "gates", "details", "submitted")) + " |",
        "|---:|---|---:|---:|---:|---|---|",
    ]
    for e in (e for e in entries if e.valid):
        lines.append(
            f"| {e.rank} | {_md(e.team)} | {_score_text(e, challenge)} | {_none(e.two_qubit_gates)} "
            f"| {_none(e.gates)} | {_md(_details(e))} | {_when(e.submitted)} |"
        )
    invalid = [e for e in entries if not e.valid]
    if invalid:
        lines += ["", f"## {t('kit.board_invalid')}", "",
                  f"| {t('kit.col_team')} | {t('kit.col_reason')} | {t('kit.col_file')} |", "|---|---|---|"]
        lines += [f"| {_md(e.team)} | {_md(e.reason)} | {_md(e.file)} |" for e in invalid]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def plot_figure(challenge: Challenge, entries: Sequence[Entry]) -> Any:
    """A horizontal bar chart of the valid scores, best at the top (a matplotlib ``Figure``).

    Every text (title, axis label, team names, score values) is in the current language and
    drawn with a font that has Hangul (:mod:`qlab.fonts`), so a Korean team name is its name.
    """
    from matplotlib.figure import Figure

    from .. import fonts

    valid = [e for e in entries if e.valid]
    height = 1.2 + 0.38 * max(len(valid), 1)
    fig = Figure(figsize=(7.5, height), dpi=100)
    ax = fig.add_subplot()
    if valid:
        scores = [e.score or 0.0 for e in valid]
        ax.barh(range(len(valid)), scores, color=["#d4a017" if i == 0 else "#4477aa" for i in range(len(valid))])
        ax.set_yticks(range(len(valid)), [f"{e.rank}. {e.team}" for e in valid])
        ax.invert_yaxis()
        for i, s in enumerate(scores):
            ax.text(s, i, f" {s:.{min(challenge.digits, 4)}f}", va="center", fontsize=8)
        lo = min(scores)
        if challenge.higher_is_better and lo > 0 and max(scores) <= 1.0:
            ax.set_xlim(0, 1.08)
    else:
        ax.text(0.5, 0.5, "-", ha="center", va="center")
        ax.set_yticks([])
    better = t("kit.better_higher") if challenge.higher_is_better else t("kit.better_lower")
    ax.set_xlabel(f"{challenge.text('metric_name')} ({better})")
    ax.set_title(challenge.text("title"), fontsize=10)
    fonts.apply(fig)
    fig.tight_layout()
    return fig


def plot_png(challenge: Challenge, entries: Sequence[Entry]) -> bytes:
    """:func:`plot_figure` as PNG bytes (no display needed)."""
    fig = plot_figure(challenge, entries)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def _html_text(text: str) -> str:
    """A catalog sentence for HTML: escaped, and its Markdown `code` spans as <code> elements
    (the same sentence serves leaderboard.md, where the backticks are Markdown)."""
    parts = html.escape(text, quote=False).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick is just a character
        return html.escape(text, quote=False)
    return "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))


def write_html(challenge: Challenge, entries: Sequence[Entry], path: Path, png: bytes) -> Path:
    e_ = html.escape
    rows = []
    for e in entries:
        cls = "" if e.valid else ' class="invalid"'
        note = _details(e) if e.valid else e.reason
        rows.append(
            f"<tr{cls}><td>{_none(e.rank) or '-'}</td><td>{e_(e.team)}</td>"
            f"<td class=num>{_score_text(e, challenge)}</td><td class=num>{_none(e.two_qubit_gates)}</td>"
            f"<td class=num>{_none(e.gates)}</td><td>{_html_text(note)}</td><td>{_when(e.submitted)}</td>"
            f"<td class=num>{e.seconds:.1f}</td><td>{e_(e.file)}</td></tr>"
        )
    cols = ("rank", "team", "score", "two_qubit_gates", "gates", "details", "submitted", "seconds", "file")
    head = "".join(f"<th>{e_(t(f'kit.col_{c}'))}</th>" for c in cols)
    img = base64.b64encode(png).decode("ascii")
    about = t("kit.board_about", id=challenge.id, device=challenge.device, seed=challenge.seed,
              metric=challenge.text("metric_name"),
              better=t("kit.better_higher") if challenge.higher_is_better else t("kit.better_lower"))
    page = f"""<!DOCTYPE html>
<html lang="{e_(t('kit.html_lang'))}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e_(t('kit.board_title', title=challenge.text('title')))}</title>
<style>
body {{ font-family: system-ui, "Noto Sans KR", "Malgun Gothic", "Apple SD Gothic Neo", "NanumGothic", sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #222; }}
/* Korean breaks between words, never inside one (a header such as 2큐비트 게이트 stays whole);
   a long unbroken file name may still wrap rather than push the table off the page */
body {{ word-break: keep-all; overflow-wrap: break-word; line-break: strict; }}
.scroll {{ overflow-x: auto; }}
table {{ border-collapse: collapse; width: 100%; margin-top: 1rem; }}
th {{ white-space: nowrap; }}
th, td {{ border-bottom: 1px solid #ddd; padding: .35rem .5rem; text-align: left; vertical-align: top; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
tr.invalid td {{ color: #999; }}
tbody tr:first-child:not(.invalid) td {{ font-weight: 600; }}
img {{ max-width: 100%; }}
</style>
</head>
<body>
<h1>{_html_text(t('kit.board_title', title=challenge.text('title')))}</h1>
<p>{_html_text(challenge.text('summary'))}</p>
<p>{_html_text(about)}</p>
<p><em>{_html_text(tie_rule_text(challenge))}</em></p>
<img alt="{e_(t('kit.plot_alt'))}" src="data:image/png;base64,{img}">
<div class="scroll">
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</div>
</body>
</html>
"""
    path.write_text(page, encoding="utf-8")
    return path


def write_leaderboard(challenge: Challenge, entries: Sequence[Entry], outdir: str | Path) -> dict[str, Path]:
    """Write every leaderboard file into ``outdir`` (created if missing); returns their paths."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    png = plot_png(challenge, entries)
    (out / "leaderboard.png").write_bytes(png)
    results = {
        "challenge": challenge.id,
        "device": challenge.device,
        "seed": challenge.seed,
        "metric": challenge.text("metric_name", lang="en"),
        "better": challenge.better,
        "tie_break": list(challenge.tie_break),
        "entries": [e.as_dict() for e in entries],
    }
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    return {
        "csv": write_csv(challenge, entries, out / "leaderboard.csv"),
        "md": write_markdown(challenge, entries, out / "leaderboard.md"),
        "html": write_html(challenge, entries, out / "leaderboard.html", png),
        "png": out / "leaderboard.png",
        "json": out / "results.json",
    }
