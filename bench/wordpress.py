"""The same list through WordPress's own REST API, on a WordPress of the bench's own.

Needs what scripts/wordpress-dev.sh installs (Debian's wordpress, PHP, MariaDB running; it writes
.wordpress/env). The bench never touches that development site: it installs a second site into a
fresh MariaDB database (`/etc/wordpress/config-writer-bench-<id>.php`, picked by the router through
WORDPRESS_CONFIG), fills it with as many published posts as the measured account has content items
(same titles and article HTML, 1 category + 2 tags each) with bulk SQL, serves it with PHP's built-in
server and 2 workers on 127.0.0.1, and removes database and config afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from bench import load
from bench.report import Check, Report
from bench.seed import Seeded
from bench.text import article_html, title_for

WP_ROOT = Path("/usr/share/wordpress")
WP_CONTENT = "/var/lib/wordpress/wp-content"
CONFIG_DIR = Path("/etc/wordpress")
DB_HOST, DB_PORT, DB_USER = "127.0.0.1", "3306", "root"
PHP_FLAGS = ["-d", "memory_limit=256M", "-d", "max_execution_time=120"]
CATEGORIES, TAGS = 20, 80
POSTS_PATH = "/wp-json/wp/v2/posts?per_page=50"


@dataclass
class BenchWordPress:
    url: str
    user: str
    app_password: str
    database: str


def unavailable_reason() -> str | None:
    if not (load.REPO / ".wordpress/env").exists() and not list(CONFIG_DIR.glob("writer-dev-*.env")):
        return "scripts/wordpress-dev.sh has not been run on this machine (no .wordpress/env)"
    if not (WP_ROOT / "wp-load.php").exists() or shutil.which("php") is None:
        return "WordPress or PHP is not installed (run scripts/wordpress-dev.sh install)"
    if shutil.which("mysql") is None:
        return "the mysql client is not installed"
    ping = subprocess.run(
        ["mysqladmin", "-h", DB_HOST, "-P", DB_PORT, "ping"], capture_output=True, check=False
    )
    if ping.returncode != 0:
        return "MariaDB is not running (scripts/wordpress-dev.sh start starts it)"
    if not os.access("/etc/wordpress", os.W_OK):
        return "/etc/wordpress is not writable (run the bench as root, like scripts/wordpress-dev.sh)"
    return None


def _mysql(sql: str, database: str = "") -> str:
    cmd = ["mysql", "-h", DB_HOST, "-P", DB_PORT, "-u", DB_USER, "--batch", "--skip-column-names"]
    if database:
        cmd.append(database)
    return subprocess.run(cmd, input=sql, capture_output=True, text=True, check=True).stdout


def _q(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


ROUTER = """<?php
// The bench's own WordPress site (written by Writer's bench/wordpress.py).
$_SERVER['WORDPRESS_CONFIG'] = '%(config)s';
$_SERVER['HTTP_HOST'] = '127.0.0.1:' . $_SERVER['SERVER_PORT'];
$path = rawurldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?? '/');
$target = '%(root)s' . $path;
if ($path !== '/' && file_exists($target) && !str_starts_with($path, '/wp-content/')) {
    return false;
}
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['PHP_SELF'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = '%(root)s/index.php';
chdir('%(root)s');
require '%(root)s/index.php';
"""

INSTALL = """<?php
$_SERVER['WORDPRESS_CONFIG'] = '%(config)s';
$_SERVER['HTTP_HOST'] = '127.0.0.1:%(port)d';
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['SERVER_PORT'] = %(port)d;
define('WP_INSTALLING', true);
require '%(root)s/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
add_filter('pre_wp_mail', '__return_false');
wp_install('Writer bench site', 'bench', 'bench@example.com', false, '', wp_slash('bench-password-123'));
update_option('siteurl', '%(url)s');
update_option('home', '%(url)s');
global $wp_rewrite;
$wp_rewrite->set_permalink_structure('/%%postname%%/');
$wp_rewrite->flush_rules(false);
$user = get_user_by('login', 'bench');
$created = WP_Application_Passwords::create_new_application_password($user->ID, ['name' => 'bench']);
if (is_wp_error($created)) { fwrite(STDERR, $created->get_error_message() . "\\n"); exit(1); }
echo WP_Application_Passwords::chunk_password($created[0]), "\\n";
"""


def _write_config(config: Path, database: str) -> None:
    config.write_text(
        "<?php\n// Written by Writer's bench/wordpress.py for one bench run; removed afterwards.\n"
        f"define('DB_NAME', '{database}');\ndefine('DB_USER', '{DB_USER}');\ndefine('DB_PASSWORD', '');\n"
        f"define('DB_HOST', '{DB_HOST}:{DB_PORT}');\ndefine('DB_CHARSET', 'utf8mb4');\n"
        f"define('WP_CONTENT_DIR', '{WP_CONTENT}');\ndefine('WP_ENVIRONMENT_TYPE', 'local');\n"
        "define('AUTOMATIC_UPDATER_DISABLED', true);\ndefine('DISABLE_WP_CRON', true);\n"
    )
    config.chmod(0o640)


def _fill(database: str, posts: int, port: int, seed_value: int = 8) -> None:
    """Terms, then posts in multi-row INSERTs, then relationships and term counts (plain SQL)."""
    rng = random.Random(seed_value)
    terms = [("category", f"Category {i + 1}", f"category-{i + 1}") for i in range(CATEGORIES)]
    terms += [("post_tag", f"Tag {i + 1}", f"tag-{i + 1}") for i in range(TAGS)]
    first_term = 100
    sql = ["SET autocommit=0;"]
    for k, (taxonomy, name, slug) in enumerate(terms):
        tid = first_term + k
        sql.append(f"INSERT INTO wp_terms (term_id, name, slug) VALUES ({tid}, {_q(name)}, {_q(slug)});")
        sql.append(
            "INSERT INTO wp_term_taxonomy (term_taxonomy_id, term_id, taxonomy, description) "
            f"VALUES ({tid}, {tid}, {_q(taxonomy)}, '');"
        )
    now = datetime.now(UTC).replace(tzinfo=None)
    batch: list[str] = []
    relations: list[str] = []
    for i in range(posts):
        pid = 1000 + i
        date = (now - timedelta(seconds=rng.randrange(365 * 86400))).strftime("%Y-%m-%d %H:%M:%S")
        html, _ = article_html(rng)
        title = title_for(rng)
        batch.append(
            f"({pid}, 1, '{date}', '{date}', {_q(html)}, {_q(title)}, '', 'publish', 'open', 'open', '', "
            f"'post-{pid}', '', '', '{date}', '{date}', '', 0, 'http://127.0.0.1:{port}/?p={pid}', 0, 'post', '', 0)"
        )
        tags = rng.sample(range(CATEGORIES, CATEGORIES + TAGS), 2)
        for k in [rng.randrange(CATEGORIES), *tags]:
            relations.append(f"({pid}, {first_term + k}, 0)")
        if len(batch) == 500 or i == posts - 1:
            sql.append(
                "INSERT INTO wp_posts (ID, post_author, post_date, post_date_gmt, post_content, post_title, "
                "post_excerpt, post_status, comment_status, ping_status, post_password, post_name, to_ping, "
                "pinged, post_modified, post_modified_gmt, post_content_filtered, post_parent, guid, "
                "menu_order, post_type, post_mime_type, comment_count) VALUES " + ",\n".join(batch) + ";"
            )
            sql.append(
                "INSERT INTO wp_term_relationships (object_id, term_taxonomy_id, term_order) VALUES "
                + ",".join(relations)
                + ";"
            )
            batch, relations = [], []
    sql.append(
        "UPDATE wp_term_taxonomy tt SET count = (SELECT COUNT(*) FROM wp_term_relationships r "
        "WHERE r.term_taxonomy_id = tt.term_taxonomy_id);"
    )
    sql.append("COMMIT;")
    _mysql("\n".join(sql), database)


@contextmanager
def _serve(url: str, port: int, router: Path, workdir: Path, opcache: bool) -> Iterator[None]:
    """PHP's built-in server with 2 workers on 127.0.0.1:`port`, until the block ends."""
    flags = [*PHP_FLAGS, "-d", f"opcache.enable_cli={1 if opcache else 0}"]
    log = open(workdir / "wordpress.log", "ab")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        ["php", *flags, "-S", f"127.0.0.1:{port}", "-t", str(WP_ROOT), str(router)],
        env={**os.environ, "PHP_CLI_SERVER_WORKERS": "2"},
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(url + POSTS_PATH, timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("the bench WordPress did not answer")
            time.sleep(0.3)
        yield
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # the server's workers are in its process group
            proc.wait(timeout=15)
        log.close()


class BenchSite(BenchWordPress):
    """A bench WordPress whose server can be restarted with other PHP settings."""

    def __init__(
        self, url: str, app_password: str, database: str, port: int, router: Path, workdir: Path
    ) -> None:
        super().__init__(url=url, user="bench", app_password=app_password, database=database)
        self.port, self.router, self.workdir = port, router, workdir

    def serve(self, *, opcache: bool = True) -> Any:
        return _serve(self.url, self.port, self.router, self.workdir, opcache)


@contextmanager
def bench_wordpress(workdir: Path, posts: int) -> Iterator[BenchSite]:
    """A throwaway WordPress with `posts` published posts (database and config removed afterwards);
    start its server with `site.serve(opcache=...)`."""
    suffix = uuid.uuid4().hex[:8]
    database = f"writer_wp_bench_{suffix}"
    name = f"writer-bench-{suffix}"  # one config per site: bench runs side by side do not clash
    config = CONFIG_DIR / f"config-{name}.php"
    port = load.free_port()
    url = f"http://127.0.0.1:{port}"
    router = workdir / f"wp-router-{suffix}.php"
    router.write_text(ROUTER % {"config": name, "root": WP_ROOT})
    _mysql(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    try:
        _write_config(config, database)
        php = [
            "php",
            *PHP_FLAGS,
            "-d",
            "display_errors=stderr",
            "-d",
            "error_reporting=E_ALL&~E_DEPRECATED&~E_NOTICE",
        ]
        install = subprocess.run(
            php,
            input=INSTALL % {"config": name, "port": port, "root": WP_ROOT, "url": url},
            capture_output=True,
            text=True,
            check=False,
        )
        app_password = install.stdout.strip().splitlines()[-1] if install.stdout.strip() else ""
        if install.returncode != 0 or not app_password:
            raise RuntimeError(f"WordPress install failed: {install.stderr[-500:]}")
        _fill(database, posts, port)
        yield BenchSite(url, app_password, database, port, router, workdir)
    finally:
        config.unlink(missing_ok=True)
        _mysql(f"DROP DATABASE IF EXISTS `{database}`")


def measure_list(site: BenchWordPress, args: argparse.Namespace, label: str) -> load.LoadResult:
    server = load.Server(site.url, None)  # type: ignore[arg-type] - only .url is used
    target = load.Target(label, POSTS_PATH, "none", '"title"')
    return load.measure(server, target, "", "", duration=args.duration, connections=args.connections)


def run(report: Report, args: argparse.Namespace, seeded: Seeded, *_: object) -> None:
    title = "WordPress REST API (same list, same number of posts)"
    reason = unavailable_reason()
    if reason:
        report.sections[title] = [f"not measured: {reason}"]
        report.checks.append(Check("API list ≥ 10× WordPress REST list", "-", None, reason))
        return
    workdir = Path(args.workdir)
    results = []
    print(f"bench: WordPress with {seeded.scale:,} posts", flush=True)
    with bench_wordpress(workdir, seeded.scale) as site:
        for opcache in (True, False):
            with site.serve(opcache=opcache):
                label = "wordpress posts" + (
                    " (opcache on)" if opcache else " (opcache off, as wordpress-dev.sh)"
                )
                results.append(measure_list(site, args, label))
    ours = next((r for r in report.loads.get(seeded.scale, []) if r.name == "api_content"), None)
    lines = [
        f"WordPress {_wp_version()} on PHP's built-in server (PHP_CLI_SERVER_WORKERS=2), {seeded.scale:,} "
        f"published posts with 1 category + 2 tags each, `{POSTS_PATH}`, unauthenticated; wrk "
        f"{args.connections} connections × {args.duration} s.",
        "",
        "| server | req/s | p50 ms | p99 ms | KB | errors | Writer api_content ÷ this |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        times = f"{ours.rps / r.rps:.1f}×" if ours and r.rps else "-"
        lines.append(
            f"| {r.name} | {r.rps:,.1f} | {r.p50_ms:.0f} | {r.p99_ms:.0f} | {r.bytes_per_request / 1024:.1f} | "
            f"{r.errors}{f' ({r.error_kinds})' if r.error_kinds else ''} | {times} |"
        )
    lines += [
        "",
        "wrk's read errors here are PHP's server closing the connection after each answer (no keep-alive): "
        "the answers are complete and counted; wrk reconnects.",
    ]
    report.sections[title] = lines
    strict = results[0]
    if ours and strict.rps:
        ratio = ours.rps / strict.rps
        report.checks.append(
            Check("API list ≥ 10× WordPress REST list (opcache on)", f"{ratio:.1f}×", ratio >= 10)
        )
    else:
        report.checks.append(
            Check("API list ≥ 10× WordPress REST list", "-", None, "api_content not measured")
        )


def _wp_version() -> str:
    try:
        for line in (WP_ROOT / "wp-includes/version.php").read_text().splitlines():
            if line.startswith("$wp_version"):
                return line.split("'")[1]
    except (OSError, IndexError):
        pass
    return "?"
