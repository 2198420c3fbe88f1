"""The shipped syllable table gives exactly what counting with the whole CMU dictionary gives."""

from __future__ import annotations

import itertools

from pyphen import Pyphen

from writer_app.services.validation import syllable_table
from writer_app.services.validation.readability import syllables


def test_syllables_match_the_cmu_dictionary_then_pyphen_rule():
    hyphenator = Pyphen(lang="en_US")
    sample = itertools.islice(syllable_table.cmu_counts(), 0, None, 20)  # ~6,300 words, every kind
    mismatches = {word: (syllables(word), n) for word, n in sample if syllables(word) != n}
    assert not mismatches, dict(itertools.islice(mismatches.items(), 10))
    for unknown in ("writerly", "hyperlocalization", "zxqv"):
        assert syllables(unknown) == syllable_table.pyphen_count(hyphenator, unknown)


def test_counts_are_case_insensitive_and_known_exceptions_hold():
    assert syllables("Fire") == syllables("fire") == 2  # CMU: F AY1 ER0; Pyphen alone says 1
    assert syllables("the") == 1


def test_a_rebuilt_table_reads_back_the_same(tmp_path):
    path = tmp_path / "table.tsv.gz"
    syllable_table.write({"fire": 2, "hour": 2}, path)
    assert syllable_table.load(path) == {"fire": 2, "hour": 2}
