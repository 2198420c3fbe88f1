"""AI content generation: the account's prompt template, outlines, and drafting tasks as jobs.

Callers use the package: `generation.start(scope, ids)` queues a drafting job (tasks with an approved
outline are written section by section), `generation.run` is its body (jobs/ai.py), `abandon` ends it
from outside; `start_outline` / `run_outline` do the same for one task's outline; `get_outline`,
`save_outline`, `costs`, `outline_first` / `set_outline_first` serve the task page and the API;
`prompt_template` / `save_ai_settings` / `get_account` the AI settings page; `check_ids` is shared
with image generation.
"""

from writer_app.services.generation import drafting, sections
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
from writer_app.services.generation.outline import (
    OUTLINE_OPERATION,
    SECTION_OPERATION,
    approved_sections,
    costs,
    get_outline,
    outline_first,
    running_job,
    save_outline,
    sections_of,
    set_outline_first,
    validate_sections,
)
from writer_app.services.generation.outline_job import OUTLINE_KIND, link_targets, run_outline, start_outline
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
    "OUTLINE_KIND",
    "OUTLINE_OPERATION",
    "PROMPT_PLACEHOLDERS",
    "SECTION_OPERATION",
    "abandon",
    "approved_sections",
    "brief_for",
    "check_ids",
    "costs",
    "drafting",
    "get_account",
    "get_outline",
    "link_targets",
    "outline_first",
    "prompt_template",
    "run",
    "run_outline",
    "running_job",
    "save_ai_settings",
    "save_draft",
    "save_outline",
    "save_prompt_template",
    "sections",
    "sections_of",
    "set_outline_first",
    "start",
    "start_outline",
    "validate_sections",
]
