"""Generation writes to the site's inventory and voice: real link candidates in the prompt, invented
links removed and reported, the style guide in every prompt and in the draft's provenance."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.integration.jobs_support import ai_app, fund  # noqa: F401
from tests.integration.test_generation import contents_of, generate
from tests.support.factories import Tenant, make_content, make_task
from tests.support.openai_payloads_links import INVENTED
from tests.support.openai_server import Behaviour, FakeOpenAIServer
from writer_app.integrations.ai import ImagePromptBrief, get_provider
from writer_app.models import AuditEvent, ContentSource, ContentStatus, Role, db
from writer_app.services.links import ai_context, policy
from writer_app.services.voice import style_guide

pytestmark = pytest.mark.usefixtures("ai_app")
BASE = "https://blog.example.com"


def _inventory(tenant: Tenant) -> tuple[str, str]:
    tenant.site.wp_url = BASE
    make_content(
        tenant.cluster,
        "Solar basics",
        status=ContentStatus.PUBLISHED,
        external_url=f"{BASE}/solar-basics/",
    )
    make_content(
        tenant.cluster,
        "Old WordPress post on inverters",
        status=ContentStatus.PUBLISHED,
        source=ContentSource.WORDPRESS,
        external_url=f"{BASE}/inverters/",
        primary_keyword="solar inverters",
    )
    make_content(tenant.cluster, "A draft nobody can visit")  # no URL: never a link target
    return f"{BASE}/solar-basics/", f"{BASE}/inverters/"


def test_only_inventory_urls_are_offered_and_invented_links_are_removed(
    tenant: Tenant, openai_server: FakeOpenAIServer, login
) -> None:
    fund(tenant, 100)
    basics, inverters = _inventory(tenant)
    policy.save_allowed_outbound(tenant.scope(Role.ADMIN), tenant.site.id, "energy.gov")
    task = make_task(tenant.cluster, "Solar panels for small roofs", keywords="solar panels")
    db.session.commit()
    openai_server.push(Behaviour("links"))

    job = generate(tenant, [task])

    prompt = openai_server.requests[0].body["messages"][1]["content"]
    assert basics in prompt and inverters in prompt and "A draft nobody can visit" not in prompt
    assert "Outbound links allowed (these domains or addresses only): energy.gov" in prompt
    [content] = contents_of(task)
    # Real pages stay linked; invented ones are unwrapped with their text kept.
    assert f'href="{basics}"' in content.html and f'href="{inverters}"' in content.html
    assert all(url not in content.html for url in INVENTED)
    assert "A recent study and our old post agree." in content.html
    removed = [{"url": INVENTED[0], "text": "recent study"}, {"url": INVENTED[1], "text": "our old post"}]
    assert content.link_report["removed"] == removed
    assert job.result["items"][str(task.id)]["removed_links"] == removed
    page = login(tenant.editor).get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "2 links outside the site's pages and allowed outbound addresses removed" in page
    assert INVENTED[0] in page
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "content.generate"))

    assert event.details["removed_links"] == list(INVENTED)


def test_the_style_guide_goes_into_every_prompt_and_the_drafts_provenance(
    tenant: Tenant, openai_server: FakeOpenAIServer, login
) -> None:
    fund(tenant, 100)
    admin = tenant.scope(Role.ADMIN)
    first = style_guide.save_style_guide(admin, tenant.site.id, tone="Warm, plain", avoid="synergy")
    second = style_guide.save_style_guide(
        admin, tenant.site.id, tone="Warm, plain", avoid="synergy\nleverage", language="British English"
    )
    same = style_guide.save_style_guide(
        admin, tenant.site.id, tone="Warm, plain", avoid="synergy, leverage", language="British English"
    )
    assert (first.version, second.version, same.version) == (1, 2, 2)
    task = make_task(tenant.cluster, "Heat pumps", keywords="heat pumps")
    db.session.commit()

    generate(tenant, [task])

    prompt = openai_server.requests[0].body["messages"][1]["content"]
    assert "Brand voice (the site's style guide; follow it):" in prompt
    assert "- Tone: Warm, plain" in prompt and "- Write in British English." in prompt
    assert "- Never use these words: synergy, leverage" in prompt
    [content] = contents_of(task)
    assert content.style_guide_version == 2 and content.prompt_version == 1
    assert content.version == 1
    panel = login(tenant.editor).get(f"/content/{content.id}/links").get_data(as_text=True)
    assert "prompt version 1, style guide version 2" in panel


def test_image_prompts_carry_the_style_guide(tenant: Tenant, openai_server: FakeOpenAIServer, app) -> None:
    style_guide.save_style_guide(tenant.scope(Role.ADMIN), tenant.site.id, tone="Sunny", avoid="grim")
    db.session.commit()
    brief = ai_context.image_brief_with_site(
        tenant.site, ImagePromptBrief(title="Roof panels", primary_keyword="solar panels", excerpt="Text.")
    )
    provider = get_provider(app.config)
    try:
        provider.generate_image_prompts(brief)
    finally:
        provider.close()
    prompt = openai_server.requests[-1].body["messages"][1]["content"]
    assert prompt.endswith("- Tone: Sunny\n- Never use these words: grim")
