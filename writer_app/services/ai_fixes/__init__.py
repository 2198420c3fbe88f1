"""AI that writes to the checks: targeted fixes for failing checks.

after_generation.fix_generated(job_id)   fix rounds on a generation job's drafts (≤ 2 rounds)
proposals.start / run / apply            "Fix with AI" on demand: a proposal, a diff, accepted
                                          change by change
fixers.plan / fixed_body                 what each check's fixer sends, and the one place fixed
                                          body HTML is put together
rounds.fix_rounds                        the rounds themselves, free of the database
paid.PaidCaller                          credits reserved and settled per call, refunded on failure
"""
