#!/usr/bin/env bash
# Builds the Debian package of one native edgegov binary.
#
#   packaging/build-deb.sh --binary PATH --arch amd64|arm64 [--version V] [--out DIR]
#
# The binary is the native AOT build (`dotnet publish firmware/EdgeGovernor.Firmware -c Release -r linux-x64`
# or `-r linux-arm64`). The package holds:
#   /usr/bin/edgegov                         the binary
#   /lib/systemd/system/edgegov.service      the unit (runs as the system user edgegov, see the unit)
#   /usr/share/doc/edgegov/examples/         example configs (no key: every cluster makes its own)
#   /etc/edgegov/                            created by postinst, 0750 root:edgegov; keys go here, 0600
# postinst creates the system user and group `edgegov`, the directory and enables the unit; the unit only
# starts once /etc/edgegov/edgegov.json exists. Runtime dependencies are read off the binary: the newest
# GLIBC symbol version it needs, libssl3 (loaded with dlopen by the .NET crypto layer) and tzdata (the zone files in
# /usr/share/zoneinfo that TimeZoneInfo reads for the ENTSO-E feed's delivery days; the binary embeds none).
# Writes edgegov_<version>_<arch>.deb and its .sha256 into --out (default artifacts/deb).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
fw=$(cd "$here/.." && pwd)
binary="" arch="" version="" out="artifacts/deb"
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary=$2; shift 2 ;;
    --arch) arch=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-deb: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$binary" ] && [ -f "$binary" ] || { echo "build-deb: --binary must name the native edgegov binary (got '${binary}')" >&2; exit 2; }
case "$arch" in
  amd64) machine="Advanced Micro Devices X86-64" ;;
  arm64) machine="AArch64" ;;
  *) echo "build-deb: --arch must be amd64 or arm64 (got '${arch}')" >&2; exit 2 ;;
esac
got=$(readelf -h "$binary" | sed -n 's/^ *Machine: *//p')
[ "$got" = "$machine" ] || { echo "build-deb: $binary is for '$got', not $arch" >&2; exit 2; }
if [ -z "$version" ]; then
  sha=$(git -C "$fw" rev-parse --short=10 HEAD 2>/dev/null || echo unknown)
  date=$(git -C "$fw" log -1 --format=%cd --date=format:%Y%m%d 2>/dev/null || date -u +%Y%m%d)
  version="0.1.0~git${date}.${sha}"
fi

glibc=$(readelf -V --wide "$binary" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -Vu | tail -n 1)
[ -n "$glibc" ] || { echo "build-deb: no GLIBC symbol versions in $binary" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/edgegov_${version}_${arch}"
install -d -m 0755 "$root/DEBIAN" "$root/usr/bin" "$root/lib/systemd/system" \
  "$root/usr/share/doc/edgegov/examples"
install -m 0755 "$binary" "$root/usr/bin/edgegov"
install -d -m 0755 "$root/usr/share/man/man1"
gzip -9n < "$here/edgegov.1" > "$root/usr/share/man/man1/edgegov.1.gz"
chmod 0644 "$root/usr/share/man/man1/edgegov.1.gz"
sed -e 's|^ExecStart=.*|ExecStart=/usr/bin/edgegov run --config /etc/edgegov/edgegov.json|' \
    -e '/^# The binary is the native AOT build/d' \
    -e 's|(install as /etc/systemd/system/edgegov.service)|(installed by the edgegov package)|' \
    "$here/edgegov.service" > "$root/lib/systemd/system/edgegov.service"
chmod 0644 "$root/lib/systemd/system/edgegov.service"
for f in edgegov.json edgegov-board.json edgegov-entsoe.json edgegov-carbon-csv.json edgegov-carbon-http.json; do
  install -m 0644 "$fw/examples/$f" "$root/usr/share/doc/edgegov/examples/$f"
done
cat > "$root/usr/share/doc/edgegov/README.Debian" <<'TXT'
edgegov for Debian
==================

1. Copy an example from /usr/share/doc/edgegov/examples/ to /etc/edgegov/edgegov.json and edit it
   (node id, roster, network, rack). Paths in it are relative to /etc/edgegov.
2. Put the cluster's key (the same on every board of the cluster; one line keyId:hexsecret, made once with
   `echo "1:$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" > cluster.key`) into /etc/edgegov with
   mode 0600, owner edgegov: `install -m 0600 -o edgegov -g edgegov cluster.key /etc/edgegov/cluster.key`.
3. `systemctl start edgegov`; `edgegov status` shows the node, the coordinator and the price in force.

The unit runs as the system user edgegov with CAP_DAC_OVERRIDE only (for the powercap, cpufreq and
hwmon files and /dev/gpiochip*); its state (persisted votes, actuator journal) is /var/lib/edgegov.
TXT
chmod 0644 "$root/usr/share/doc/edgegov/README.Debian"
{
  echo "edgegov (${version}) unstable; urgency=medium"
  echo
  echo "  * Build of commit ${version##*.}."
  echo
  echo " -- EdgeGovernor developers <firmware@edgegovernor.net>  $(date -u -R)"
} | gzip -9n > "$root/usr/share/doc/edgegov/changelog.gz"
chmod 0644 "$root/usr/share/doc/edgegov/changelog.gz"
cat > "$root/usr/share/doc/edgegov/copyright" <<'TXT'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: EdgeGovernor
Source: EdgeGovernor repository

Files: *
Copyright: 2025-2026 EdgeGovernor developers
License: EdgeGovernor
 All rights reserved by the EdgeGovernor developers. The binary links the .NET runtime
 (MIT license, Copyright .NET Foundation and Contributors).
TXT
chmod 0644 "$root/usr/share/doc/edgegov/copyright"
# .NET's native AOT links its own zlib-ng into the binary (System.IO.Compression.Native, reached from the HTTP
# stack); the system's zlib is not used, so lintian's embedded-library finding is expected.
install -d -m 0755 "$root/usr/share/lintian/overrides"
printf '%s\n' '# zlib-ng statically linked by the .NET native AOT runtime (System.IO.Compression.Native)' \
  'edgegov: embedded-library zlib [usr/bin/edgegov]' > "$root/usr/share/lintian/overrides/edgegov"
chmod 0644 "$root/usr/share/lintian/overrides/edgegov"

size=$(du -sk "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<TXT
Package: edgegov
Version: ${version}
Architecture: ${arch}
Maintainer: EdgeGovernor developers <firmware@edgegovernor.net>
Installed-Size: ${size}
Depends: libc6 (>= ${glibc}), libssl3 | libssl3t64, tzdata, adduser
Section: admin
Priority: optional
Description: rack power governor for data-center controller boards
 EdgeGovernor runs on the controller board next to each rack. The boards
 form a cluster over IP multicast and elect a power-aware coordinator that
 disseminates the electricity price; each board adapts its rack's energy use
 to that price through RAPL, cpufreq, fans, PDU relays and the servers' BMCs
 (IPMI/DCMI), within the rack's power budget, thermal limits and fan minimums.
TXT

cat > "$root/DEBIAN/postinst" <<'TXT'
#!/bin/sh
set -e
if [ "$1" = "configure" ]; then
    if ! getent group edgegov >/dev/null; then
        addgroup --system --quiet edgegov
    fi
    if ! getent passwd edgegov >/dev/null; then
        adduser --system --quiet --ingroup edgegov --no-create-home --home /var/lib/edgegov \
            --shell /usr/sbin/nologin edgegov
    fi
    install -d -m 0750 -o root -g edgegov /etc/edgegov
    if command -v deb-systemd-helper >/dev/null 2>&1; then
        deb-systemd-helper enable edgegov.service >/dev/null || true
    fi
fi
exit 0
TXT
cat > "$root/DEBIAN/prerm" <<'TXT'
#!/bin/sh
set -e
if [ -d /run/systemd/system ] && [ "$1" = "remove" ] && command -v deb-systemd-invoke >/dev/null 2>&1; then
    deb-systemd-invoke stop edgegov.service >/dev/null || true
fi
exit 0
TXT
cat > "$root/DEBIAN/postrm" <<'TXT'
#!/bin/sh
set -e
if [ "$1" = "purge" ] && command -v deb-systemd-helper >/dev/null 2>&1; then
    deb-systemd-helper purge edgegov.service >/dev/null || true
    deb-systemd-helper unmask edgegov.service >/dev/null || true
fi
if [ "$1" = "remove" ] && command -v deb-systemd-helper >/dev/null 2>&1; then
    deb-systemd-helper mask edgegov.service >/dev/null || true
fi
if [ "$1" = "purge" ]; then
    # Keys and configs the operator put into /etc/edgegov go only on purge; state too.
    rm -rf /etc/edgegov /var/lib/edgegov
    if getent passwd edgegov >/dev/null; then
        deluser --system --quiet edgegov >/dev/null 2>&1 || true
    fi
    if getent group edgegov >/dev/null; then
        delgroup --system --quiet edgegov >/dev/null 2>&1 || true
    fi
fi
exit 0
TXT
chmod 0755 "$root/DEBIAN/postinst" "$root/DEBIAN/prerm" "$root/DEBIAN/postrm"

mkdir -p "$out"
deb="$out/edgegov_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
(cd "$out" && sha256sum "$(basename "$deb")" > "$(basename "$deb").sha256")
echo "$deb"
