"""Writer's analysis against Yoast's on the oracle corpus: per-check band agreement and overall scores.

    python -m tests.oracle.agreement      # prints the table (runs the Node oracle; nothing is cached)

Bands follow Yoast's scoreToRating: a score above 7 is good (green), 5-7 ok (orange), 4 or less bad
(red, including the negative scores and 0). Writer's good/improve/problem are the same three bands.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from writer_app.services.validation import ContentInput, analyze

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
CORPUS = HERE / "corpus.json"
SCRIPT = HERE / "yoast_score.cjs"
PACKAGE = ROOT / "node_modules" / "yoastseo" / "package.json"

# Writer's check -> Yoast's assessment identifier.
COUNTERPARTS = {
    "keyphrase_length": "keyphraseLength",
    "keyphrase_function_words": "functionWordsInKeyphrase",
    "keyphrase_in_introduction": "introductionKeyword",
    "keyphrase_density": "keyphraseDensity",
    "keyphrase_in_seo_title": "keyphraseInSEOTitle",
    "seo_title_length": "titleWidth",
    "meta_description_length": "metaDescriptionLength",
    "keyphrase_in_meta_description": "metaDescriptionKeyword",
    "keyphrase_in_slug": "slugKeyword",
    "keyphrase_in_subheadings": "subheadingsKeyword",
    "competing_links": "textCompetingLinks",
    "text_length": "textLength",
    "internal_links": "internalLinks",
    "outbound_links": "externalLinks",
    "images": "images",
    "keyphrase_in_image_alt": "imageKeyphrase",
    "single_h1": "singleH1",
    "subheading_distribution": "subheadingsTooLong",
    "paragraph_length": "textParagraphTooLong",
    "sentence_length": "textSentenceLength",
    "passive_voice": "passiveVoice",
    "transition_words": "textTransitionWords",
    "consecutive_sentences": "sentenceBeginnings",
    "text_presence": "textPresence",
}
STATUS_BAND = {"good": "good", "improve": "ok", "problem": "bad"}


def yoast_band(score: float) -> str:
    return "good" if score > 7 else "ok" if score > 4 else "bad"


def deliberate_difference(piece: dict, check: str) -> bool:
    """Results where Writer departs from Yoast on purpose (README, "Checks").

    - Links to www. of the site's own domain are internal for Writer, external for Yoast.
    - rel="nofollow": Writer's HTML sanitizer sets rel="noopener noreferrer" on every link, so no link
      reaches the analysis (or WordPress) as nofollow; Yoast sees the nofollow of the raw HTML.
    """
    if check not in ("internal_links", "outbound_links"):
        return False
    return f"www.{piece['site_domain']}" in piece["html"] or "nofollow" in piece["html"]


def node_available() -> str | None:
    """Why the oracle cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not on PATH"
    if not PACKAGE.exists():
        return f"yoastseo is not installed ({PACKAGE} missing; run npm ci)"
    return None


def start_oracle(corpus_path: Path = CORPUS) -> subprocess.Popen[str]:
    """Start the Node oracle; Writer's side can be analysed while it runs."""
    return subprocess.Popen(
        ["node", str(SCRIPT), str(corpus_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def oracle_results(process: subprocess.Popen[str]) -> dict[str, dict]:
    out, err = process.communicate(timeout=600)
    if process.returncode:
        raise RuntimeError(f"the Yoast oracle failed ({process.returncode}): {err[-2000:]}")
    return {r["id"]: r for r in json.loads(out)}


def run_oracle(corpus_path: Path = CORPUS) -> dict[str, dict]:
    return oracle_results(start_oracle(corpus_path))


def writer_input(piece: dict) -> ContentInput:
    return ContentInput(
        html=piece["html"],
        title=piece["title"],
        seo_title=piece["title"],
        meta_description=piece["description"],
        slug=piece["slug"],
        keyphrase=piece["keyphrase"],
        content_type="post",
        cornerstone=piece["cornerstone"],
        site_domain=piece["site_domain"],
    )


@dataclass
class Report:
    per_check: dict[str, Counter] = field(default_factory=dict)  # check -> Counter(agree, total)
    disagreements: list[tuple[str, str, str, str]] = field(default_factory=list)  # id, check, writer, yoast
    seo_diffs: list[int] = field(default_factory=list)
    readability_diffs: list[int] = field(default_factory=list)

    @property
    def agreed(self) -> int:
        return sum(c["agree"] for c in self.per_check.values())

    @property
    def total(self) -> int:
        return sum(c["total"] for c in self.per_check.values())

    @property
    def agreement(self) -> float:
        return self.agreed / self.total if self.total else 0.0

    def mean_abs(self, diffs: list[int]) -> float:
        return sum(abs(d) for d in diffs) / len(diffs) if diffs else 0.0

    def table(self) -> str:
        lines = [f"{'check':34} agree/total"]
        for check, c in sorted(self.per_check.items(), key=lambda kv: kv[1]["agree"] / kv[1]["total"]):
            lines.append(f"{check:34} {c['agree']}/{c['total']} ({100 * c['agree'] / c['total']:.1f}%)")
        lines.append(f"overall: {self.agreed}/{self.total} ({100 * self.agreement:.2f}%)")
        lines.append(
            f"SEO score mean |diff| {self.mean_abs(self.seo_diffs):.2f}, "
            f"readability {self.mean_abs(self.readability_diffs):.2f}"
        )
        return "\n".join(lines)


def compare(corpus: list[dict], yoast: dict[str, dict] | subprocess.Popen[str]) -> Report:
    """Band agreement per check; `yoast` is the oracle's results or its running process."""
    report = Report()
    ours_all = [analyze(writer_input(piece)) for piece in corpus]
    if isinstance(yoast, subprocess.Popen):
        yoast = oracle_results(yoast)
    for piece, ours in zip(corpus, ours_all, strict=True):
        theirs = yoast[piece["id"]]
        # Writer shows scores on 0-100; Yoast's SEO score goes far below 0 without a keyphrase (-999).
        report.seo_diffs.append(ours.seo_score - max(0, min(100, theirs["seo_score"])))
        report.readability_diffs.append(ours.readability_score - theirs["readability_score"])
        for check, ident in COUNTERPARTS.items():
            result = ours.check(check)
            mine = STATUS_BAND[result.status] if result else None
            score = theirs["checks"].get(ident)
            other = yoast_band(score) if score is not None else None
            if mine is None and other is None:
                continue
            if deliberate_difference(piece, check):
                continue
            counter = report.per_check.setdefault(check, Counter())
            counter["total"] += 1
            if mine == other:
                counter["agree"] += 1
            else:
                report.disagreements.append((piece["id"], check, str(mine), str(other)))
    return report


def main() -> None:
    corpus = json.loads(CORPUS.read_text())
    report = compare(corpus, start_oracle())
    print(report.table())
    by_check: dict[str, list] = {}
    for d in report.disagreements:
        by_check.setdefault(d[1], []).append(d)
    for check, rows in by_check.items():
        print(f"\n{check}: " + "; ".join(f"{i} W={w} Y={y}" for i, _, w, y in rows[:12]))


if __name__ == "__main__":
    main()
