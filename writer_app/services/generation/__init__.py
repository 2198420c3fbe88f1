"""AI content generation: the account's prompt template, and drafting tasks as one background job.

Callers use the package: `generation.start(scope, ids)` queues a job, `generation.run` is its body
(jobs/ai.py), `generation.abandon` ends it from outside; `prompt_template` / `save_ai_settings` /
`get_account` serve the AI settings page; `check_ids` is shared with image generation.
"""

from writer_app.services.generation import drafting
from writer_app.services.generation.batch import (
    KIND,
    MAX_IDS,
    OPERATION,
    abandon,
    check_ids,
    run,
    start,
)
from writer_app.services.generation.drafting import brief_for, save_draft
from writer_app.services.generation.settings import (
    DEFAULT_PROMPT,
    DEFAULT_PROMPT_VERSION,
    PROMPT_PLACEHOLDERS,
    get_account,
    prompt_template,
    save_ai_settings,
    save_prompt_template,
)

__all__ = [
    "DEFAULT_PROMPT",
    "DEFAULT_PROMPT_VERSION",
    "KIND",
    "MAX_IDS",
    "OPERATION",
    "PROMPT_PLACEHOLDERS",
    "abandon",
    "brief_for",
    "check_ids",
    "drafting",
    "get_account",
    "prompt_template",
    "run",
    "save_ai_settings",
    "save_draft",
    "save_prompt_template",
    "start",
]
