#!/usr/bin/env bash
# Checks a package built by build-deb.sh: lintian (no error or warning), then install, use and remove
# in a throwaway Debian root (debootstrap minbase, cached as a tarball), as root.
#
#   packaging/check-deb.sh DEB [DEB ...]
#
# A package for another architecture than this machine's is installed with --force-architecture
# --force-depends: that checks its files, maintainer scripts and removal, not that its binary runs
# (the arm64 binary runs on the emulated board instead). Needs: lintian, debootstrap (Debian packages).
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: check-deb.sh DEB [DEB ...]" >&2; exit 2; }
cache=${EDGEGOV_DEB_CACHE:-/var/cache/edgegov-deb}
host_arch=$(dpkg --print-architecture)
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "  ok: $*"; }
bad() { fail=$((fail + 1)); echo "  FAILED: $*"; }

mkdir -p "$cache"
tarball="$cache/bookworm-minbase-tzdata-$host_arch.tgz"
if [ ! -s "$tarball" ]; then
  echo "== debootstrap (once; cached in $tarball)"
  debootstrap --variant=minbase --include=adduser,libssl3,tzdata,init-system-helpers \
    --make-tarball="$tarball.part" bookworm "$(mktemp -d)" >/dev/null
  mv "$tarball.part" "$tarball"
fi

for deb in "$@"; do
  deb=$(readlink -f "$deb")
  arch=$(dpkg-deb -f "$deb" Architecture)
  echo "== $(basename "$deb")"
  if lintian --fail-on error,warning "$deb" 2>/dev/null; then ok "lintian: no error or warning"; else bad "lintian"; fi
  if [ -f "$deb.sha256" ] && (cd "$(dirname "$deb")" && sha256sum --quiet -c "$(basename "$deb").sha256"); then
    ok "sha256 matches"
  else
    bad "sha256 file missing or not matching"
  fi

  root=$(mktemp -d)
  debootstrap --variant=minbase --include=adduser,libssl3,tzdata,init-system-helpers \
    --unpack-tarball="$tarball" bookworm "$root" >/dev/null
  cp "$deb" "$root/tmp/edgegov.deb"
  force=()
  [ "$arch" = "$host_arch" ] || force=(--force-architecture --force-depends)
  if chroot "$root" dpkg "${force[@]}" -i /tmp/edgegov.deb >/dev/null; then ok "installs"; else bad "dpkg -i"; fi
  [ -x "$root/usr/bin/edgegov" ] && ok "/usr/bin/edgegov" || bad "/usr/bin/edgegov missing"
  chroot "$root" getent passwd edgegov >/dev/null && ok "system user edgegov" || bad "no user edgegov"
  perm=$(chroot "$root" stat -c '%a %U:%G' /etc/edgegov 2>/dev/null || true)
  [ "$perm" = "750 root:edgegov" ] && ok "/etc/edgegov $perm" || bad "/etc/edgegov is '$perm', want '750 root:edgegov'"
  [ -L "$root/etc/systemd/system/multi-user.target.wants/edgegov.service" ] && ok "unit enabled" || bad "unit not enabled"
  grep -q '^ExecStart=/usr/bin/edgegov run --config /etc/edgegov/edgegov.json$' "$root/lib/systemd/system/edgegov.service" \
    && ok "unit ExecStart" || bad "unit ExecStart"
  if [ "$arch" = "$host_arch" ]; then
    if chroot "$root" /usr/bin/edgegov --help >/dev/null; then ok "edgegov --help runs in the root"; else bad "edgegov --help"; fi
  fi
  echo '{}' > "$root/etc/edgegov/keep-me"
  if chroot "$root" dpkg -r edgegov >/dev/null; then ok "removes"; else bad "dpkg -r"; fi
  [ ! -e "$root/usr/bin/edgegov" ] && ok "binary gone after remove" || bad "binary left after remove"
  [ -e "$root/etc/edgegov/keep-me" ] && ok "/etc/edgegov kept after remove" || bad "/etc/edgegov lost on remove"
  if chroot "$root" dpkg -P edgegov >/dev/null; then ok "purges"; else bad "dpkg -P"; fi
  [ ! -e "$root/etc/edgegov" ] && ok "/etc/edgegov gone after purge" || bad "/etc/edgegov left after purge"
  chroot "$root" getent passwd edgegov >/dev/null && bad "user edgegov left after purge" || ok "user gone after purge"
  rm -rf "$root"
done
echo "deb: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
