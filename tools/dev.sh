#!/usr/bin/env bash
# One entry point for developers and CI; sets up everything it needs on a fresh machine.
#   tools/dev.sh demo      open mibdesk on the demo office (created on first use)
#   tools/dev.sh test      ruff, mypy (strict on mibdesk/core), import-linter, pytest
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

run_tests() {
  export QT_QPA_PLATFORM=offscreen
  "$VENV/bin/ruff" check mibdesk tests bench tools
  "$VENV/bin/ruff" format --check mibdesk tests bench tools
  "$VENV/bin/mypy" mibdesk
  "$VENV/bin/lint-imports"
  "$VENV/bin/python" tools/i18n.py check
  "$VENV/bin/python" -m pytest -q "$@"
}

command=${1:-test}
shift || true
install_system
install_python
case "$command" in
  demo) exec "$VENV/bin/mibdesk" --demo "$@" ;;
  test) run_tests "$@" ;;
  setup) ;;
  *) echo "usage: tools/dev.sh demo|test|setup" >&2; exit 2 ;;
esac
