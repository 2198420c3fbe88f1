"""gunicorn settings for `gunicorn wsgi:app` (read from the working directory)."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = 60
# The app logs every request once, with its status, duration, request id and client address
# (writer_app/web.py); gunicorn's access line repeated it at 1.4% of a list page's CPU. Set
# GUNICORN_ACCESS_LOG=- (or a file) for gunicorn's line as well.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None


def post_worker_init(worker):
    # Load the readability checks' syllable tables before the first request, not during it.
    from writer_app.gc_tuning import settle_worker
    from writer_app.services.validation import warm_up

    warm_up()
    settle_worker()  # last: what the warm-up loaded lives as long as the worker
