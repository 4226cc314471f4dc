"""How well essagenda reads real French announcements and pages (../shared/corpus, ../shared/pages).

Announcements go through `essagenda parse` in JSON Lines mode (one process, as users run it) with
the record's reference day (`YYYY` or `YYYY-MM-DD`) and région; pages go through
`essagenda extract FILE --url ORIGINAL_URL`, the crawler's extraction path. Scores:

- date span: start and end day equal to the label's (a one-day label has end null; the parse
  output repeats the start day as its end);
- times: start and end time both equal (None when the label has none);
- commune: the official name, compared with case, accents, hyphens and apostrophes folded, over
  texts that name one; "invented" counts a commune given for a text that names none;
- online: over labels that say; a missing attendance counts as in person.

Pages: each labelled event is matched to at most one extracted event (same start day first, then
the closest title); extracted events left unmatched are "not events", except on a listing whose
notes say it is only partially labelled, where they are counted apart as unlabelled.

Prints one block per phrasing tag (tags seen at least --min-tag times) and per kind of page, the
overall figures last. Exit status 0 whatever the figures; 1 only on a crash.

    .venv/bin/python bench/real.py [--shared DIR] [--failures] [--json]
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ONLINE_ATTENDANCE = ("online", "mixed", "hybrid")
"""Attendance values that mean the event can be followed online ('mixed': on site and online)."""
DEFAULT_SHARED = ROOT.parent / "shared"


# --- folding --------------------------------------------------------------------------------------


def fold(text: str | None) -> str:
    """Lower case, no accents, hyphens/apostrophes/punctuation as single spaces: 'Saint-Étienne' -> 'saint etienne'."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE"))
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.lower().split())


def same_commune(got: str | None, expected: str | None) -> bool:
    return fold(got) == fold(expected)


def tags_of(phrasing: str | Iterable[str] | None) -> list[str]:
    """Phrasing tags of a record, folded so that spellings of one tag count together:
    'relative-day (demain)' -> 'relative day'."""
    if not phrasing:
        return []
    items = phrasing.split(";") if isinstance(phrasing, str) else list(phrasing)
    out = []
    for item in items:
        tag = fold(re.sub(r"\([^)]*\)?", " ", item))
        if tag and tag not in out:
            out.append(tag)
    return out


# --- announcements --------------------------------------------------------------------------------


@dataclass
class Tally:
    """Counts of one group of announcements (one tag, or all)."""

    texts: int = 0
    date_right: int = 0
    times_right: int = 0
    named: int = 0
    commune_right: int = 0
    unnamed: int = 0
    commune_invented: int = 0
    online_known: int = 0
    online_right: int = 0

    def add(self, verdict: dict[str, bool | None]) -> None:
        self.texts += 1
        self.date_right += bool(verdict["date"])
        self.times_right += bool(verdict["times"])
        if verdict["commune"] is not None:
            self.named += 1
            self.commune_right += bool(verdict["commune"])
        if verdict["invented"] is not None:
            self.unnamed += 1
            self.commune_invented += bool(verdict["invented"])
        if verdict["online"] is not None:
            self.online_known += 1
            self.online_right += bool(verdict["online"])


def judge_announcement(expected: dict[str, Any], got: dict[str, Any]) -> dict[str, bool | None]:
    """Verdicts for one parsed announcement: date, times, commune (None when the label names none),
    invented (None when the label names one), online (None when the label does not say)."""
    exp_start = expected.get("start_date")
    exp_end = expected.get("end_date") or exp_start
    got_start = got.get("start_date")
    got_end = got.get("end_date") or got_start
    city = expected.get("city")
    online = expected.get("online")
    attendance = got.get("attendance")
    got_online = attendance in ONLINE_ATTENDANCE if attendance else False
    return {
        "date": got_start == exp_start and got_end == exp_end,
        "times": got.get("start_time") == expected.get("start_time")
        and got.get("end_time") == expected.get("end_time"),
        "commune": same_commune(got.get("city"), city) if city else None,
        "invented": bool(got.get("city")) if not city else None,
        "online": got_online == online if online is not None else None,
    }


def score_announcements(
    records: list[dict[str, Any]], outputs: dict[str, dict[str, Any]]
) -> tuple[Tally, dict[str, Tally], list[tuple[dict[str, Any], dict[str, Any], dict[str, bool | None]]]]:
    """(overall tally, tally per phrasing tag, [(record, output, verdict)]); a record with no output
    (a crash of the parser on that line) counts as wrong on every score but "invented"."""
    overall = Tally()
    by_tag: dict[str, Tally] = defaultdict(Tally)
    judged = []
    for record in records:
        got = outputs.get(str(record["id"])) or {}
        verdict = judge_announcement(record["expected"], got)
        if not got:
            verdict = {k: (None if v is None else False) for k, v in verdict.items()}
        overall.add(verdict)
        for tag in tags_of(record.get("phrasing")):
            by_tag[tag].add(verdict)
        judged.append((record, got, verdict))
    return overall, dict(by_tag), judged


# --- pages ----------------------------------------------------------------------------------------


def _day(value: str | None) -> str | None:
    return value[:10] if value else None


def _clock(value: str | None) -> str | None:
    return value[11:16] if value and len(value) > 10 else None


def extracted_fields(event: dict[str, Any]) -> dict[str, Any]:
    """The label's fields from one event printed by `essagenda extract` (stored field names)."""
    start, end = event.get("start"), event.get("end")
    attendance = event.get("attendance")
    return {
        "title": event.get("title") or "",
        "start_date": _day(start),
        "end_date": _day(end) or _day(start),
        "start_time": _clock(start),
        "end_time": _clock(end),
        "city": event.get("city"),
        "online": attendance in ONLINE_ATTENDANCE if attendance else False,
    }


def title_likeness(a: str, b: str) -> float:
    """0..1: how alike two titles are once folded; a title contained in the other counts as 0.9."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return 0.0
    if fa in fb or fb in fa:
        return max(0.9, difflib.SequenceMatcher(None, fa, fb).ratio())
    return difflib.SequenceMatcher(None, fa, fb).ratio()


def match_events(
    expected: list[dict[str, Any]], got: list[dict[str, Any]], *, min_likeness: float = 0.5
) -> list[tuple[int, int]]:
    """Pairs (labelled index, extracted index), each side used once: same start day and the closest
    title first; a pair on another day needs a title at least `min_likeness` alike."""
    candidates = []
    for i, e in enumerate(expected):
        for j, g in enumerate(got):
            likeness = title_likeness(e.get("title") or "", g.get("title") or "")
            same_day = e.get("start_date") == g.get("start_date")
            if same_day or likeness >= min_likeness:
                candidates.append((same_day, likeness, -i, -j))
    pairs: list[tuple[int, int]] = []
    used_e: set[int] = set()
    used_g: set[int] = set()
    for _same, _likeness, ni, nj in sorted(candidates, reverse=True):
        i, j = -ni, -nj
        if i in used_e or j in used_g:
            continue
        used_e.add(i)
        used_g.add(j)
        pairs.append((i, j))
    return sorted(pairs)


@dataclass
class PageTally:
    """Counts of one kind of page (or all)."""

    pages: int = 0
    labelled: int = 0
    found: int = 0
    span_right: int = 0
    times_right: int = 0
    named: int = 0
    commune_right: int = 0
    commune_invented: int = 0
    extracted: int = 0
    not_events: int = 0
    unlabelled: int = 0
    errors: int = 0
    misses: list[str] = field(default_factory=list)

    def merge(self, other: PageTally) -> None:
        for name in ("pages", "labelled", "found", "span_right", "times_right", "named", "commune_right",
                     "commune_invented", "extracted", "not_events", "unlabelled", "errors"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses.extend(other.misses)


def is_partial(page: dict[str, Any]) -> bool:
    """True when the page's notes say only part of its events are labelled."""
    return re.search(r"\bpartial\b", page.get("notes") or "", re.IGNORECASE) is not None


def score_page(page: dict[str, Any], events: list[dict[str, Any]]) -> PageTally:
    expected = page.get("expected") or []
    got = [extracted_fields(e) for e in events]
    tally = PageTally(pages=1, labelled=len(expected), extracted=len(got))
    pairs = match_events(expected, got)
    matched_got = {j for _, j in pairs}
    for i, j in pairs:
        e, g = expected[i], got[j]
        tally.found += 1
        if g["start_date"] == e.get("start_date") and g["end_date"] == (e.get("end_date") or e.get("start_date")):
            tally.span_right += 1
        else:
            tally.misses.append(f"{page.get('file')}: span {g['start_date']}..{g['end_date']} for {e.get('title')!r}")
        if g["start_time"] == e.get("start_time") and g["end_time"] == e.get("end_time"):
            tally.times_right += 1
        if e.get("city"):
            tally.named += 1
            tally.commune_right += same_commune(g["city"], e["city"])
        elif g["city"]:
            tally.commune_invented += 1
    for i, e in enumerate(expected):
        if i not in {i for i, _ in pairs}:
            tally.misses.append(f"{page.get('file')}: not found {e.get('title')!r} {e.get('start_date')}")
    left = len(got) - len(matched_got)
    if is_partial(page):
        tally.unlabelled += left
    else:
        tally.not_events += left
    return tally


# --- running the CLI ------------------------------------------------------------------------------


def essagenda_command() -> list[str]:
    beside = Path(sys.executable).parent / "essagenda"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("essagenda")
    if found:
        return [found]
    return [sys.executable, "-m", "scraper.cli"]


def region_code(name: str | None) -> str | None:
    """INSEE code of a région named in the corpus ('Occitanie' -> '76'); None for 'national'."""
    from pipelines.normalize.fr_data import region_code_for

    return region_code_for(name) if name else None


def run_parse(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    lines = []
    for record in records:
        line = {"id": record["id"], "text": record["text"], "context_date": record.get("context")}
        code = region_code(record.get("region"))
        if code:
            line["region"] = code
        lines.append(json.dumps(line, ensure_ascii=False))
    proc = subprocess.run(
        [*essagenda_command(), "parse"], input="\n".join(lines) + "\n", capture_output=True, text=True,
        cwd=ROOT, check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"essagenda parse exited {proc.returncode}: {proc.stderr[-2000:]}")
    outputs = {}
    for out_line in proc.stdout.splitlines():
        if out_line.strip():
            result = json.loads(out_line)
            if "error" not in result:
                outputs[str(result.get("id"))] = result
            else:
                print(f"parse error: {result['error']}", file=sys.stderr)
    return outputs


def run_extract(path: Path, url: str | None) -> list[dict[str, Any]] | None:
    command = [*essagenda_command(), "extract", str(path)]
    if url:
        command += ["--url", url]
    proc = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    if proc.returncode != 0:
        print(f"extract {path.name} exited {proc.returncode}: {proc.stderr.strip()[-500:]}", file=sys.stderr)
        return None
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


# --- printing -------------------------------------------------------------------------------------


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    - "


def announcement_row(name: str, t: Tally) -> str:
    return (f"{name[:34]:<34} {t.texts:>4}  {pct(t.date_right, t.texts)}  {pct(t.times_right, t.texts)}  "
            f"{pct(t.commune_right, t.named)} /{t.named:<3}  {pct(t.commune_invented, t.unnamed)} /{t.unnamed:<3}  "
            f"{pct(t.online_right, t.online_known)} /{t.online_known:<3}")


ANNOUNCEMENT_HEADER = (f"{'phrasing tag':<34} {'n':>4}  {'date':>6}  {'times':>6}  {'commune':>6} /nam  "
                       f"{'invent':>6} /non  {'online':>6} /kno")


def page_row(name: str, t: PageTally) -> str:
    return (f"{name:<20} {t.pages:>3} {t.labelled:>5}  {pct(t.found, t.labelled)}  {pct(t.span_right, t.labelled)}  "
            f"{pct(t.times_right, t.labelled)}  {pct(t.commune_right, t.named)} /{t.named:<3} "
            f"{t.commune_invented:>4}  {t.extracted:>5} {t.not_events:>5} {t.unlabelled:>5}")


PAGE_HEADER = (f"{'kind of page':<20} {'pg':>3} {'label':>5}  {'found':>6}  {'span':>6}  {'times':>6}  "
               f"{'commune':>6} /nam {'inv':>4}  {'extr':>5} {'not':>5} {'unlab':>5}")


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("ESSAGENDA_SHARED", DEFAULT_SHARED)),
                        help="folder holding corpus/ and pages/ (default ../shared)")
    parser.add_argument("--min-tag", type=int, default=4, help="print phrasing tags seen at least this often")
    parser.add_argument("--failures", action="store_true", help="list every announcement and page event missed")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object instead")
    args = parser.parse_args(argv)

    corpus = args.shared / "corpus" / "real_announcements.jsonl"
    pages_index = args.shared / "pages" / "pages.jsonl"
    if not corpus.exists() and not pages_index.exists():
        print(f"bench/real.py: no real material at {args.shared} (expected corpus/real_announcements.jsonl "
              "and pages/pages.jsonl); nothing measured.")
        return 0

    report: dict[str, Any] = {}
    lines: list[str] = []
    overall_lines: list[str] = []

    if corpus.exists():
        records = load_jsonl(corpus)
        outputs = run_parse(records)
        overall, by_tag, judged = score_announcements(records, outputs)
        report["announcements"] = {"overall": vars(overall), "by_tag": {k: vars(v) for k, v in by_tag.items()}}
        if args.failures:
            for record, got, verdict in judged:
                wrong = [k for k, v in verdict.items() if (v is False if k != "invented" else v is True)]
                if wrong:
                    e = record["expected"]
                    lines.append(f"- {record['id']} [{record.get('phrasing')}] wrong {','.join(wrong)}: "
                                 f"want {e.get('start_date')}..{e.get('end_date')} {e.get('start_time')}-"
                                 f"{e.get('end_time')} {e.get('city')} online={e.get('online')}; got "
                                 f"{got.get('start_date')}..{got.get('end_date')} {got.get('start_time')}-"
                                 f"{got.get('end_time')} {got.get('city')} {got.get('attendance')}")
            lines.append("")
        lines.append(f"Announcements ({len(records)} texts of {corpus}), per phrasing tag:")
        lines.append(ANNOUNCEMENT_HEADER)
        for tag, tally in sorted(by_tag.items(), key=lambda kv: (-kv[1].texts, kv[0])):
            if tally.texts >= args.min_tag:
                lines.append(announcement_row(tag, tally))
        lines.append("")
        overall_lines += [ANNOUNCEMENT_HEADER, announcement_row("ANNOUNCEMENTS, all", overall)]
    else:
        overall_lines.append(f"announcements: {corpus} absent, not measured")

    if pages_index.exists():
        pages = load_jsonl(pages_index)
        by_kind: dict[str, PageTally] = defaultdict(PageTally)
        every = PageTally()
        for page in pages:
            events = run_extract(pages_index.parent / page["file"], page.get("original_url"))
            if events is None:
                tally = PageTally(pages=1, labelled=len(page.get("expected") or []), errors=1)
            else:
                tally = score_page(page, events)
            by_kind[page.get("kind") or "?"].merge(tally)
            every.merge(tally)
        report["pages"] = {"overall": {k: v for k, v in vars(every).items() if k != "misses"},
                           "by_kind": {k: {n: v for n, v in vars(t).items() if n != "misses"}
                                       for k, t in by_kind.items()}}
        if args.failures:
            lines += [f"- {miss}" for miss in every.misses] + [""]
        lines.append(f"Pages ({len(pages)} files of {pages_index.parent}); 'not': extracted events matching no "
                     "label; 'unlab': those of partially labelled pages, not counted as invented:")
        lines.append(PAGE_HEADER)
        for kind, tally in sorted(by_kind.items()):
            lines.append(page_row(kind, tally))
        if every.errors:
            lines.append(f"{every.errors} page(s) could not be extracted (see stderr)")
        lines.append("")
        overall_lines += [PAGE_HEADER, page_row("PAGES, all", every)]
    else:
        overall_lines.append(f"pages: {pages_index} absent, not measured")

    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print("\n".join(lines))
    print("Overall (date/span: right day span; times: start and end time; commune: right where one is named;")
    print("invent: a commune given where none is named; online: right where the label says):")
    print("\n".join(overall_lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
