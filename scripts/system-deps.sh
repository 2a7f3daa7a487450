#!/usr/bin/env bash
# Installs the Debian packages Houqin's tests need, when run as root and they are absent:
# python3-venv (the .venv), chromium (browser tests), fonts-noto-cjk + pango (Chinese PDFs),
# gettext (compilemessages), poppler-utils (the report's PDF → PNG check). PostgreSQL and Redis are services the README asks for.
set -uo pipefail
need=()
has_lib() { /sbin/ldconfig -p 2>/dev/null | grep -c "$1" >/dev/null || ls /usr/lib/*/"$1"* >/dev/null 2>&1; }
python3 -c "import ensurepip, venv" >/dev/null 2>&1 || need+=(python3-venv)
[ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1 || need+=(chromium)
fonts=$(fc-list 2>/dev/null || true)
grep -qi "Noto Sans CJK" <<<"$fonts" || need+=(fonts-noto-cjk)
has_lib libpango-1.0.so || need+=(libpango-1.0-0)
has_lib libpangoft2-1.0.so || need+=(libpangoft2-1.0-0)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
command -v fc-list >/dev/null 2>&1 || need+=(fontconfig)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${need[*]} — install them with: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
