"""HTML blueprints, one per area."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from writer_app.views import auth, dashboard, ops, settings

    for module in (auth, dashboard, ops, settings):
        app.register_blueprint(module.bp)

    from writer_app.views import audit, images, media_library, taxonomies

    for module in (images, media_library, taxonomies, audit):
        app.register_blueprint(module.bp)

    from writer_app.views import clusters, tasks

    for module in (tasks, clusters):
        app.register_blueprint(module.bp)

    from writer_app.views import content, editing

    app.register_blueprint(content.bp)
    app.register_blueprint(editing.bp)

    from writer_app.views import generation, jobs, outlines, settings_ai

    for module in (generation, jobs, settings_ai, outlines):
        app.register_blueprint(module.bp)

    from writer_app.views import links, validation

    app.register_blueprint(validation.bp)
    app.register_blueprint(links.bp)

    from writer_app.views import ai_fixes

    app.register_blueprint(ai_fixes.bp)

    from writer_app.views import wordpress

    app.register_blueprint(wordpress.bp)

    from writer_app.views import invitations, operator

    for module in (invitations, operator):
        app.register_blueprint(module.bp)

    from writer_app.views import calendar, notifications, review_queue

    for module in (notifications, review_queue, calendar):
        app.register_blueprint(module.bp)

    from writer_app.views.bench import register_if_enabled

    register_if_enabled(app)  # the benchmark's constant endpoint, only with WRITER_BENCH=1

    from writer_app.views.context import inject_layout_context

    app.context_processor(inject_layout_context)

    from writer_app.views.row_urls import fixed_url_for, row_url

    app.jinja_env.globals.update(row_url=row_url, url_for=fixed_url_for)
