"""The web pages of a graded class: each student's feedback and the instructor's class report.

Both are single, self-contained HTML files (the histogram is an embedded PNG): they open from the
output folder in any browser, and can be mailed or put on a course site as they are. Everything a
student chose (their file name, their answers' error messages) is escaped, and each page forbids
scripts and remote content outright (``Content-Security-Policy: default-src 'none'``), so a
submission cannot make the instructor's browser do anything. The words come from the message
catalog (English or Korean); Markdown versions of the same content stay for terminals.
"""

from __future__ import annotations

import base64
from html import escape
from typing import Any

from ..i18n import get_language, t
from .feedback import MARKS, FeedbackView, plain, table_head

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
CSS = """
body { font-family: system-ui, "Noto Sans KR", "NanumGothic", "Malgun Gothic", sans-serif; margin: 2rem auto;
       max-width: 60rem; padding: 0 1rem; color: #1d2430; line-height: 1.5; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border-bottom: 1px solid #d9dee7; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f2f4f8; font-weight: 600; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.score { font-size: 1.3rem; font-weight: 600; } .status { color: #a14b00; font-weight: 600; }
.pass { color: #1a7f37; } .fail { color: #c62828; } .muted { color: #5b6577; }
.bar { background: #e3e8f0; border-radius: 3px; height: .8rem; min-width: 6rem; }
.bar > span { display: block; height: 100%; border-radius: 3px; background: #4a7bb7; }
code { background: #f2f4f8; padding: 0 .25rem; border-radius: 3px; }
img.hist { max-width: 100%; border: 1px solid #d9dee7; }
"""


def _page(title: str, body: list[str], lang: str | None) -> str:
    code = "ko" if (lang or get_language()) == "ko" else "en"
    return "\n".join([
        "<!DOCTYPE html>", f'<html lang="{code}">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>", *body, "</body>", "</html>", ""])


def _table(head: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> list[str]:
    """A table; cells are HTML already (escape what goes in)."""
    out = ["<table>", "<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr></thead>", "<tbody>"]
    for row in rows:
        out.append("<tr>" + "".join(f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>"
                                    for i, c in enumerate(row)) + "</tr>")
    return [*out, "</tbody>", "</table>"]


def feedback_page(view: FeedbackView, *, lang: str | None = None) -> str:
    """One student's feedback (:func:`qlab.assign.feedback.feedback_view`) as a web page."""
    body = [f"<h1>{escape(plain(view.title))}</h1>", f'<p class="score">{escape(plain(view.score))}</p>']
    if view.status:
        body.append(f'<p class="status">{escape(plain(view.status))}</p>')
    for section in view.sections:
        body.append(f"<h2>{escape(plain(section.heading))}</h2>")
        rows = []
        for label, result, points, message in section.rows:
            if isinstance(result, str):
                mark = escape(result)
            else:
                mark = f'<span class="{"pass" if result else "fail"}">{MARKS[bool(result)]}</span>'
            rows.append([f"<code>{escape(label)}</code>", mark, escape(points), escape(message)])
        body += _table(table_head(section.head_key, lang), rows, numeric={2})
    body += [f'<p class="muted">{escape(rule)}</p>' for rule in view.rules]
    if view.answer_errors:
        body.append(f"<h2>{escape(plain(t('grade.fb_answer_errors', lang=lang)))}</h2>")
        body.append("<ul>" + "".join(f"<li><code>{escape(gid)}</code>: {escape(text)}</li>"
                                     for gid, text in view.answer_errors) + "</ul>")
    if view.notes:
        body.append(f"<h2>{escape(plain(t('grade.fb_notes', lang=lang)))}</h2>")
        body.append("<ul>" + "".join(f"<li>{escape(note)}</li>" for note in view.notes) + "</ul>")
    return _page(plain(view.title), body, lang)


def class_page(report: Any, *, lang: str | None = None, histogram_png: bytes | None = None) -> str:
    """The instructor's class report (:class:`qlab.assign.summary.ClassReport`) as a web page."""
    body = [f"<h1>{escape(plain(t('grade.sum_title', lang=lang, assignment=report.assignment)))}</h1>"]
    if report.n:
        body.append("<p>" + escape(t("grade.sum_scores", lang=lang, n=report.n, mean=f"{report.mean:.2f}",
                                     median=f"{report.median:g}", max=f"{report.auto_max:g}")) + "</p>")
    if report.by_hand_points:
        body.append("<p>" + escape(t("grade.html_by_hand", lang=lang, points=f"{report.by_hand_points:g}",
                                     n=report.waiting)) + "</p>")
    body.append(f"<h2>{escape(plain(t('grade.sum_hist_head', lang=lang)))}</h2>")
    if histogram_png:
        data = base64.b64encode(histogram_png).decode("ascii")
        body.append(f'<img class="hist" alt="{escape(t("grade.html_hist_alt", lang=lang))}" '
                    f'src="data:image/png;base64,{data}">')
    body.append(f"<h2>{escape(plain(t('grade.sum_rates_head', lang=lang)))}</h2>")
    rows = []
    for rate in report.rates:
        bar = f'<div class="bar"><span style="width:{100 * rate.rate:.0f}%"></span></div>'
        rows.append([f"<code>{escape(rate.grade_id)}</code>", escape(rate.kind), f"{rate.points:g}",
                     f"{rate.passed}/{report.n}", f"{rate.rate:.0%}", bar])
    body += _table(table_head("grade.html_rates_cols", lang), rows, numeric={2, 3, 4})
    body.append(f"<h2>{escape(t('grade.html_failures_head', lang=lang))}</h2>")
    rows = []
    for gid, messages in report.failures.items():
        for failure in messages:
            who = ", ".join(failure.students[:4]) + (" …" if len(failure.students) > 4 else "")
            rows.append([f"<code>{escape(gid)}</code>", escape(failure.message),
                         str(len(failure.students)), f'<span class="muted">{escape(who)}</span>'])
    body += _table(table_head("grade.html_failures_cols", lang), rows, numeric={2}) if rows else [
        f"<p>{escape(t('grade.html_failures_none', lang=lang))}</p>"]
    body.append(f"<h2>{escape(t('grade.html_attention_head', lang=lang))}</h2>")
    rows = []
    for who in report.attention:
        link = f'<a href="{escape(who.feedback)}">{escape(who.student_id)}</a>' if who.feedback else escape(who.student_id)
        rows.append([link, f"{who.score:g}/{who.max_score:g}", escape("; ".join(who.reasons))])
    body += _table(table_head("grade.html_attention_cols", lang), rows, numeric={1}) if rows else [
        f"<p>{escape(t('grade.html_attention_none', lang=lang))}</p>"]
    body.append(f"<h2>{escape(plain(t('grade.sum_status_head', lang=lang)))}</h2>")
    body.append("<ul>" + "".join(f"<li>{escape(t('grade.status_name_' + k, lang=lang))} (<code>{escape(k)}</code>): {v}</li>"
                                 for k, v in sorted(report.statuses.items())) + "</ul>")
    body.append(f'<p class="muted">{escape(t("grade.sum_time", lang=lang, seconds=f"{report.seconds:.1f}", n=report.n))}</p>')
    return _page(plain(t("grade.sum_title", lang=lang, assignment=report.assignment)), body, lang)
