"""placeholder until written"""

from bench.report import Check


def run(report, args, seeded, *rest):
    report.checks.append(Check("generation", "-", None, "not written yet"))
