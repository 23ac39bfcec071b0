#!/usr/bin/env bash
# Installs the pgvector extension for the PostgreSQL server of the given major version.
# 1. Debian's binary package postgresql-<major>-pgvector, when the configured suites have it.
# 2. Otherwise Debian's source package from the trixie suite, fetched through the mirror
#    this machine is already configured with (read from its apt sources, never hard-coded),
#    built against postgresql-server-dev-<major>.
set -euo pipefail
major="${1:?usage: install-pgvector.sh <postgres major version>}"

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    exec sudo -n "$0" "$@"
  fi
  echo "install-pgvector: installing pgvector needs root (apt-get, make install); run as root or install postgresql-${major}-pgvector yourself" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive

apt_install() { apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }

if apt-cache show "postgresql-${major}-pgvector" >/dev/null 2>&1 || { apt-get update -qq && apt-cache show "postgresql-${major}-pgvector" >/dev/null 2>&1; }; then
  echo "install-pgvector: installing Debian's postgresql-${major}-pgvector" >&2
  apt_install "postgresql-${major}-pgvector"
  exit 0
fi

# The main Debian mirror URI: first URIs line of a deb822 source (or a one-line source) that is not a security suite.
mirror=""
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  mirror=$(awk '/^URIs:/{u=$2} /^Suites:/{ if ($0 !~ /security/ && u != "") { print u; exit } }' "$f")
  [ -n "$mirror" ] && break
done
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror=$(awk '$1=="deb" && $0 !~ /security/ {for(i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' /etc/apt/sources.list)
fi
if [ -z "$mirror" ]; then
  echo "install-pgvector: no Debian mirror found in /etc/apt/sources.list(.d); cannot fetch pgvector's source" >&2
  exit 1
fi

src_list=/etc/apt/sources.list.d/openclaw-pgvector-src.sources
cat > "$src_list" <<SRC
Types: deb-src
URIs: ${mirror}
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
echo "install-pgvector: building pgvector from Debian's trixie source package" >&2
apt-get update -qq
apt_install "postgresql-server-dev-${major}" dpkg-dev make gcc

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get source -qq pgvector >/dev/null 2>&1 || { echo "install-pgvector: apt-get source pgvector failed" >&2; exit 1; }
dir=$(find . -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)
cd "$dir"
pg_config="/usr/lib/postgresql/${major}/bin/pg_config"
make -s PG_CONFIG="$pg_config" >/dev/null
make -s PG_CONFIG="$pg_config" install >/dev/null
echo "install-pgvector: installed $(basename "$dir")" >&2
