#!/usr/bin/env bash
# A real WordPress on loopback for development and the integration tests (idempotent).
#
#   scripts/wordpress-dev.sh            install (what is missing) + start
#   scripts/wordpress-dev.sh install    Debian's wordpress + PHP (no Apache), database, config, site,
#                                       permalinks, one application password for the admin
#   scripts/wordpress-dev.sh start      serve on http://127.0.0.1:$WP_PORT with PHP's built-in server
#   scripts/wordpress-dev.sh stop       stop the server this script started
#   scripts/wordpress-dev.sh status     say whether it is installed and answering
#
# Credentials go to .wordpress/env (shell-sourceable WP_URL, WP_USER, WP_APP_PASSWORD lines), with the
# WORDPRESS_ALLOW_PRIVATE_HOSTS value Writer needs to reach this loopback site (printed as well).
# Environment: WP_PORT (8089), WP_DB (writer_wp), WP_DB_HOST (127.0.0.1), WP_DB_PORT (3306),
# WP_DB_USER (root), WP_DB_PASSWORD (empty), WP_TIMEZONE (Europe/Berlin: not UTC on purpose, so
# date/date_gmt mix-ups show up in tests). Needs root for apt and /etc/wordpress.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WP_PORT="${WP_PORT:-8089}"
WP_HOST=127.0.0.1
WP_URL="http://${WP_HOST}:${WP_PORT}"
WP_DB="${WP_DB:-writer_wp}"
WP_DB_HOST="${WP_DB_HOST:-127.0.0.1}"
WP_DB_PORT="${WP_DB_PORT:-3306}"
WP_DB_USER="${WP_DB_USER:-root}"
WP_DB_PASSWORD="${WP_DB_PASSWORD:-}"
WP_TIMEZONE="${WP_TIMEZONE:-Europe/Berlin}"
WP_ADMIN=admin
WP_ROOT=/usr/share/wordpress
WP_CONTENT=/var/lib/wordpress/wp-content
# Debian's wp-config.php picks /etc/wordpress/config-<Host header without port>.php.
CONFIG="/etc/wordpress/config-${WP_HOST}.php"
ROUTER=/etc/wordpress/writer-router.php
STATE="$REPO/.wordpress"
ENV_FILE="$STATE/env"
# The server and its application password belong to the machine, not to one checkout: every clone
# (CI's fresh one included) finds the same running server and reuses the same password.
MACHINE_ENV="/etc/wordpress/writer-dev-${WP_PORT}.env"
PID_FILE="/run/writer-wordpress-${WP_PORT}.pid"
LOG_FILE="$STATE/server.log"
# php -S defaults: 2 MB uploads, one process. Raised for media uploads and parallel requests.
PHP_FLAGS=(-d upload_max_filesize=64M -d post_max_size=64M -d memory_limit=256M -d max_execution_time=120)
PACKAGES=(php-cli php-cgi php php-mysql php-gd php-curl php-xml php-mbstring wordpress wordpress-theme-twentytwentythree)

log() { printf '[wordpress-dev] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

sql() { mysql -h "$WP_DB_HOST" -P "$WP_DB_PORT" -u "$WP_DB_USER" ${WP_DB_PASSWORD:+-p"$WP_DB_PASSWORD"} "$@"; }

need_root() { [ "$(id -u)" = 0 ] || die "run as root (apt-get, /etc/wordpress)"; }

# The wordpress package depends on "apache2 | httpd". We serve with `php -S`, so an empty local
# package providing httpd satisfies it; php-cgi satisfies "libapache2-mod-php | php". Real httpd
# alternatives (micro-httpd, lighttpd, nginx) would also open port 80 on systemd or inetd machines.
install_httpd_placeholder() {
  dpkg -s writer-wordpress-httpd >/dev/null 2>&1 && return 0
  log "installing the httpd placeholder package (keeps Apache off this machine)"
  local tmp
  tmp="$(mktemp -d)"
  mkdir -p "$tmp/pkg/DEBIAN"
  cat >"$tmp/pkg/DEBIAN/control" <<'EOF'
Package: writer-wordpress-httpd
Version: 1.0
Architecture: all
Maintainer: Writer developers <root@localhost>
Provides: httpd
Section: web
Priority: optional
Description: PHP's built-in server stands in for a web server for Debian's WordPress
 Writer's scripts/wordpress-dev.sh serves WordPress with PHP's built-in server on
 loopback. This empty package satisfies the wordpress package's web-server dependency
 so that apt does not install Apache.
EOF
  dpkg-deb --root-owner-group --build "$tmp/pkg" "$tmp/writer-wordpress-httpd.deb" >/dev/null
  dpkg -i "$tmp/writer-wordpress-httpd.deb" >/dev/null
  rm -rf "$tmp"
}

install_packages() {
  local missing=() pkg
  for pkg in "${PACKAGES[@]}"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  install_httpd_placeholder
  log "apt-get install ${missing[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >/dev/null
  if dpkg -s apache2 >/dev/null 2>&1; then die "apache2 got installed; remove it (apt-get purge apache2)"; fi
}

ensure_mariadb() {
  if ! mysqladmin -h "$WP_DB_HOST" -P "$WP_DB_PORT" ping >/dev/null 2>&1; then
    [ -x /usr/sbin/mariadbd ] || die "no MariaDB answers on $WP_DB_HOST:$WP_DB_PORT and mariadb-server is not installed"
    log "starting MariaDB"
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
    for _ in $(seq 60); do
      mysqladmin -h "$WP_DB_HOST" -P "$WP_DB_PORT" ping >/dev/null 2>&1 && break
      sleep 0.5
    done
  fi
  mysqladmin -h "$WP_DB_HOST" -P "$WP_DB_PORT" ping >/dev/null 2>&1 || die "MariaDB does not answer on $WP_DB_HOST:$WP_DB_PORT"
  sql -e "CREATE DATABASE IF NOT EXISTS \`$WP_DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
}

write_config() {
  mkdir -p /etc/wordpress
  local tmp
  tmp="$(mktemp)"
  # WP_ENVIRONMENT_TYPE=local: application passwords then work over plain http. The salts are
  # left out on purpose: WordPress then generates them once and keeps them in its database.
  cat >"$tmp" <<EOF
<?php
// Written by Writer's scripts/wordpress-dev.sh: a local development site, loopback only.
define('DB_NAME', '$WP_DB');
define('DB_USER', '$WP_DB_USER');
define('DB_PASSWORD', '$WP_DB_PASSWORD');
define('DB_HOST', '$WP_DB_HOST:$WP_DB_PORT');
define('DB_CHARSET', 'utf8mb4');
define('WP_CONTENT_DIR', '$WP_CONTENT');
define('WP_ENVIRONMENT_TYPE', 'local');
define('FS_METHOD', 'direct');
define('AUTOMATIC_UPDATER_DISABLED', true);
EOF
  cmp -s "$tmp" "$CONFIG" || install -m 0640 "$tmp" "$CONFIG"
  rm -f "$tmp"

  cat >"$tmp" <<EOF
<?php
// Router for PHP's built-in server (written by Writer's scripts/wordpress-dev.sh).
// Pins the Host so Debian's wp-config.php loads $CONFIG, serves wp-content from
// $WP_CONTENT (outside the web root) and sends pretty permalinks to index.php.
\$_SERVER['HTTP_HOST'] = '$WP_HOST:' . \$_SERVER['SERVER_PORT'];
\$path = rawurldecode(parse_url(\$_SERVER['REQUEST_URI'], PHP_URL_PATH) ?? '/');
if (str_starts_with(\$path, '/wp-content/')) {
    foreach (['$WP_CONTENT', '$WP_ROOT/wp-content'] as \$root) {
        \$file = realpath(\$root . substr(\$path, strlen('/wp-content')));
        \$base = realpath(\$root);
        if (\$file && \$base && str_starts_with(\$file, \$base . '/') && is_file(\$file)
            && !preg_match('/\\.(php|phtml|phar)\$/i', \$file)) {
            \$type = mime_content_type(\$file) ?: 'application/octet-stream';
            if (preg_match('/\\.css\$/i', \$file)) { \$type = 'text/css'; }
            if (preg_match('/\\.js\$/i', \$file)) { \$type = 'application/javascript'; }
            header('Content-Type: ' . \$type);
            header('Content-Length: ' . filesize(\$file));
            readfile(\$file);
            return true;
        }
    }
    http_response_code(404);
    return true;
}
\$target = '$WP_ROOT' . \$path;
if (\$path !== '/' && file_exists(\$target)) {
    return false;  // a real file or a directory with index.php: the built-in server handles it
}
\$_SERVER['SCRIPT_NAME'] = '/index.php';
\$_SERVER['PHP_SELF'] = '/index.php';
\$_SERVER['SCRIPT_FILENAME'] = '$WP_ROOT/index.php';
chdir('$WP_ROOT');
require '$WP_ROOT/index.php';
EOF
  cmp -s "$tmp" "$ROUTER" || install -m 0644 "$tmp" "$ROUTER"
  rm -f "$tmp"
}

# Installs the site if needed, then (every run) pins URLs, permalinks, timezone and the admin's
# password, and keeps exactly one "writer-dev" application password: the one in .wordpress/env
# when it still verifies, otherwise a new one (older ones are deleted, never accumulated).
setup_site() {
  local old_app_password="" old_admin_password=""
  if [ -f "$ENV_FILE" ]; then
    old_app_password="$(sed -n "s/^WP_APP_PASSWORD='\(.*\)'$/\1/p" "$ENV_FILE")"
    old_admin_password="$(sed -n "s/^WP_ADMIN_PASSWORD='\(.*\)'$/\1/p" "$ENV_FILE")"
  fi
  [ -n "$old_admin_password" ] || old_admin_password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  WP_SETUP_URL="$WP_URL" WP_SETUP_HOST="$WP_HOST:$WP_PORT" WP_SETUP_USER="$WP_ADMIN" \
    WP_SETUP_ADMIN_PASSWORD="$old_admin_password" WP_SETUP_APP_PASSWORD="$old_app_password" \
    WP_SETUP_TIMEZONE="$WP_TIMEZONE" \
    php "${PHP_FLAGS[@]}" -d display_errors=stderr -d error_reporting=E_ALL\&~E_DEPRECATED\&~E_NOTICE <<'PHP' >"$STATE/setup.out"
<?php
$url = getenv('WP_SETUP_URL');
$_SERVER['HTTP_HOST'] = getenv('WP_SETUP_HOST');  // picks Debian's config-<host>.php
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['SERVER_PORT'] = parse_url($url, PHP_URL_PORT);
define('WP_INSTALLING', true);
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
$user = getenv('WP_SETUP_USER');
$password = getenv('WP_SETUP_ADMIN_PASSWORD');
add_filter('pre_wp_mail', '__return_false');  // no sendmail here: skip the "new site" email
if (!is_blog_installed()) {
    wp_install('Writer dev site', $user, $user . '@example.com', false, '', wp_slash($password));
}
update_option('siteurl', $url);
update_option('home', $url);
update_option('timezone_string', getenv('WP_SETUP_TIMEZONE'));
update_option('blog_public', '0');
global $wp_rewrite;
if (get_option('permalink_structure') !== '/%postname%/' || !get_option('rewrite_rules')) {
    $wp_rewrite->set_permalink_structure('/%postname%/');
    $wp_rewrite->flush_rules(false);  // no .htaccess: the router sends everything to index.php
}
$account = get_user_by('login', $user);
if (!$account) { fwrite(STDERR, "admin user missing\n"); exit(1); }
wp_set_password($password, $account->ID);
wp_update_user(['ID' => $account->ID, 'user_url' => '']);  // wp_install guessed it from the CLI path
$app_password = getenv('WP_SETUP_APP_PASSWORD');
$keep = null;
foreach (WP_Application_Passwords::get_user_application_passwords($account->ID) as $item) {
    // Verified like wp_authenticate_application_password() does (no user id: never rehash).
    $valid = $app_password !== '' && $keep === null
        && wp_check_password(preg_replace('/[^a-z\d]/i', '', $app_password), $item['password']);
    if ($item['name'] === 'writer-dev' && $valid) { $keep = $item; continue; }
    WP_Application_Passwords::delete_application_password($account->ID, $item['uuid']);
}
if ($keep === null) {
    $created = WP_Application_Passwords::create_new_application_password($account->ID, ['name' => 'writer-dev']);
    if (is_wp_error($created)) { fwrite(STDERR, $created->get_error_message() . "\n"); exit(1); }
    $app_password = WP_Application_Passwords::chunk_password($created[0]);
}
echo $app_password, "\n", $password, "\n";
PHP
  local app_password admin_password
  app_password="$(sed -n 1p "$STATE/setup.out")"
  admin_password="$(sed -n 2p "$STATE/setup.out")"
  rm -f "$STATE/setup.out"
  [ -n "$app_password" ] || die "the site setup did not return an application password"
  umask 077
  cat >"$ENV_FILE" <<EOF
WP_URL='$WP_URL'
WP_USER='$WP_ADMIN'
WP_APP_PASSWORD='$app_password'
WP_ADMIN_PASSWORD='$admin_password'
WORDPRESS_ALLOW_PRIVATE_HOSTS='$WP_HOST:$WP_PORT'
EOF
  cp "$ENV_FILE" "$MACHINE_ENV"
}

# A checkout without credentials takes the machine's (they still verify, so nothing is rotated).
adopt_machine_env() {
  if [ ! -f "$ENV_FILE" ] && [ -f "$MACHINE_ENV" ]; then
    mkdir -p "$STATE"
    (umask 077 && cp "$MACHINE_ENV" "$ENV_FILE")
  fi
}

cmd_install() {
  need_root
  mkdir -p "$STATE"
  install_packages
  ensure_mariadb
  write_config
  setup_site
  log "installed; credentials in ${ENV_FILE#"$REPO"/}"
}

installed() { [ -f "$CONFIG" ] && [ -f "$ROUTER" ] && [ -f "$ENV_FILE" ] && [ -d "$WP_ROOT" ]; }

# "Answering" means the REST index answers JSON, not merely that the port is open.
answering() {
  curl -fsS --max-time 5 "$WP_URL/?rest_route=/&_fields=namespaces" 2>/dev/null | grep -q '"namespaces"'
}

cmd_start() {
  installed || die "not installed: run scripts/wordpress-dev.sh install"
  ensure_mariadb
  if answering; then log "already running on $WP_URL"; return 0; fi
  mkdir -p "$STATE"
  log "starting PHP's built-in server on $WP_URL"
  PHP_CLI_SERVER_WORKERS=4 setsid php "${PHP_FLAGS[@]}" -S "$WP_HOST:$WP_PORT" -t "$WP_ROOT" "$ROUTER" \
    >>"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  for _ in $(seq 100); do
    answering && { log "running (pid $(cat "$PID_FILE"), log ${LOG_FILE#"$REPO"/})"; return 0; }
    kill -0 "$(cat "$PID_FILE")" 2>/dev/null || break
    sleep 0.2
  done
  tail -n 20 "$LOG_FILE" >&2 || true
  die "the server did not answer on $WP_URL"
}

cmd_stop() {
  if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    local pid
    pid="$(cat "$PID_FILE")"
    kill -- "-$pid" 2>/dev/null || kill "$pid"  # setsid made it a group leader: workers go too
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    log "stopped (pid $pid)"
  elif pkill -f -- "-S $WP_HOST:$WP_PORT"; then
    for _ in $(seq 50); do answering || break; sleep 0.1; done
    log "stopped (the server on $WP_HOST:$WP_PORT)"
  else
    log "not running"
  fi
  rm -f "$PID_FILE"
}

cmd_status() {
  if ! installed; then echo "not installed"; return 1; fi
  if answering; then echo "running on $WP_URL"; else echo "installed, not running"; return 3; fi
}

# Writer only connects to public addresses: this loopback WordPress must be allowed explicitly.
print_env() {
  cat "$ENV_FILE"
  log "Writer refuses loopback addresses unless allowed: run it with"
  log "  WORDPRESS_ALLOW_PRIVATE_HOSTS=$WP_HOST:$WP_PORT   (make run and the tests set this already)"
}

adopt_machine_env
case "${1:-}" in
  install) cmd_install; print_env ;;
  start) cmd_start; print_env ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  "") cmd_install; cmd_start; print_env ;;
  *) echo "usage: $0 [install|start|stop|status]" >&2; exit 2 ;;
esac
