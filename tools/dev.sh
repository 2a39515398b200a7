#!/usr/bin/env bash
# One entry point for developers and CI; sets up everything it needs on a fresh machine.
#   tools/dev.sh demo      open mibdesk on the demo office (created on first use)
#   tools/dev.sh test      ruff, mypy (strict on mibdesk/core), import-linter, pytest; then,
#                          unless pytest was given arguments, the bundle build and its smoke
#                          test and the installer script (installer/build.py)
#   tools/dev.sh bundle    only the bundle, smoke test and installer (installer/build.py ARGS)
#   tools/dev.sh setup     only install (system libraries, .venv, the project)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
SYSTEM_PACKAGES=(
  # Qt offscreen and on screen
  libglib2.0-0 libgl1 libegl1 libfontconfig1 libfreetype6 libxkbcommon0 libdbus-1-3 libx11-6
  xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
  libxcb-shape0 libxkbcommon-x11-0
  # Chinese glyphs on screen; PDF rendering for the form tests
  fonts-wqy-microhei poppler-utils
  # the bundle (PyInstaller reads libraries with objdump) and the Windows installer script
  binutils nsis
  # a throwaway PostgreSQL server for the city tests (start_postgres)
  postgresql
)

install_system() {
  command -v dpkg-query >/dev/null || return 0
  local missing=()
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

install_python() {
  local stamp="$VENV/.installed"
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
  fi
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e ".[dev]"
    touch "$stamp"
  fi
}

start_postgres() {
  # A throwaway PostgreSQL cluster (Unix socket only, in a temp dir) for the city tests,
  # removed when this script exits; its URL goes to pytest as MIBDESK_TEST_PG_URL.
  [ -n "${MIBDESK_TEST_PG_URL:-}" ] && return 0
  local bin dir
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "PostgreSQL is not installed: the PostgreSQL city tests will be skipped" >&2
    return 0
  fi
  dir=$(mktemp -d /tmp/mibdesk-pg.XXXXXX)
  local as=()
  if [ "$(id -u)" -eq 0 ]; then  # the server refuses to run as root
    chown postgres: "$dir"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-locale >/dev/null
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-k $dir -c listen_addresses= -c fsync=off" start >/dev/null
  # shellcheck disable=SC2064  # expand now: the trap must stop this cluster
  trap "${as[*]} $bin/pg_ctl -D $dir/data -m immediate stop >/dev/null 2>&1; rm -rf $dir" EXIT
  export MIBDESK_TEST_PG_URL="postgresql://postgres@/postgres?host=$dir"
}

run_tests() {
  export QT_QPA_PLATFORM=offscreen
  "$VENV/bin/ruff" check mibdesk tests bench tools installer
  "$VENV/bin/ruff" format --check mibdesk tests bench tools installer
  "$VENV/bin/mypy" mibdesk
  "$VENV/bin/lint-imports"
  "$VENV/bin/python" tools/i18n.py check
  start_postgres
  "$VENV/bin/python" -m pytest -q "$@"
  [ $# -eq 0 ] && "$VENV/bin/python" installer/build.py --quick-installer
  return 0
}

command=${1:-test}
shift || true
install_system
install_python
case "$command" in
  demo) exec "$VENV/bin/mibdesk" --demo "$@" ;;
  test) run_tests "$@" ;;
  bundle) exec "$VENV/bin/python" installer/build.py "$@" ;;
  setup) ;;
  *) echo "usage: tools/dev.sh demo|test|bundle|setup" >&2; exit 2 ;;
esac
