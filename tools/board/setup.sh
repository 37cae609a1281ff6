#!/usr/bin/env bash
# Prepares everything an emulated arm64 board needs except the edgegov binary, cached by version:
#   $CACHE/<kernel-version>/vmlinuz                  Debian's arm64 kernel (the package linux-image-arm64:arm64 depends on)
#   $CACHE/<kernel-version>/rootfs/                  busybox, loader, libc, libm, libgcc_s, libssl3, zlib, kernel modules
#                                                    (virtio-mmio/net, configfs, lm75, i2c-dev) and the out-of-tree
#                                                    gpio-sim.ko and i2c-stub.ko built from linux-source-6.1
# Prints the directory on its last line. Installs the host packages it needs when they are missing (Debian, root).
# Usage: tools/board/setup.sh            (EDGEGOV_BOARD_CACHE overrides /var/cache/edgegov-board)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${EDGEGOV_BOARD_CACHE:-/var/cache/edgegov-board}
log() { echo "board-setup: $*" >&2; }

host_packages=(qemu-system-arm cpio xz-utils linux-source-6.1 linux-kbuild-6.1 gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu make)
need=()
for p in "${host_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ] || ! dpkg --print-foreign-architectures | grep -qx arm64; then
  log "installing ${need[*]:-(arm64 architecture)}"
  dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  [ ${#need[@]} -eq 0 ] || apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The kernel ABI changes with point releases: resolve it now.
kpkg=$(apt-cache depends linux-image-arm64:arm64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
kpkg=${kpkg%:arm64}
[ -n "$kpkg" ] || { log "cannot resolve the kernel package of linux-image-arm64:arm64 (apt-get update?)"; exit 1; }
kver=${kpkg#linux-image-}
kabi=${kver%-arm64}
kbuild=$(dpkg -s linux-kbuild-6.1 | awk '/^Version:/ {print $2}')
ksrc=$(dpkg -s linux-source-6.1 | awk '/^Version:/ {print $2}')
dir=$cache/$kver
stamp="$kpkg $kbuild $ksrc $(cat "$here/setup.sh" "$here/modules/Kbuild" | sha256sum | cut -c1-16)"
if [ -f "$dir/ready" ] && [ "$(cat "$dir/ready")" = "$stamp" ]; then
  log "cached: $dir"
  echo "$dir"
  exit 0
fi

log "preparing $dir ($kpkg, kbuild $kbuild, source $ksrc)"
rm -rf "$dir"
mkdir -p "$dir/debs" "$dir/rootfs" "$dir/x"
(cd "$dir/debs" && apt-get download "$kpkg:arm64" "linux-headers-$kver:arm64" "linux-headers-$kabi-common" \
  busybox-static:arm64 libc6:arm64 libgcc-s1:arm64 libssl3:arm64 zlib1g:arm64 2>&1 | grep -v -e unsandboxed -e '^Get:' -e '^Fetched' >&2 || true)
for d in "$dir"/debs/*.deb; do dpkg-deb -x "$d" "$dir/x"; done
cp "$dir/x/boot/vmlinuz-$kver" "$dir/vmlinuz"

# Guest root: busybox and the shared libraries the AOT binary needs (checked against its NEEDED list by .ci/board).
r=$dir/rootfs
mkdir -p "$r"/{bin,sbin,etc,proc,sys,dev,tmp,run,root,lib/modules,var/lib/edgegov,usr/lib}
cp "$dir/x/bin/busybox" "$r/bin/busybox"
mkdir -p "$r/lib/aarch64-linux-gnu"
for libdir in "$dir/x/lib/aarch64-linux-gnu" "$dir/x/usr/lib/aarch64-linux-gnu"; do
  [ -d "$libdir" ] || continue
  for f in "$libdir"/{ld-linux-aarch64.so.1,libc.so.6,libm.so.6,libdl.so.2,libpthread.so.0,librt.so.1,libgcc_s.so.1,libssl.so.3,libcrypto.so.3,libz.so.1*}; do
    [ -e "$f" ] && cp -a "$f" "$r/lib/aarch64-linux-gnu/"
  done
done
ln -sf aarch64-linux-gnu/ld-linux-aarch64.so.1 "$r/lib/ld-linux-aarch64.so.1"
[ -e "$r/lib/ld-linux-aarch64.so.1" ] || { log "no arm64 loader in libc6:arm64"; exit 1; }
ln -sf ../lib "$r/lib64"
m=$dir/x/lib/modules/$kver/kernel
for k in drivers/virtio/virtio_mmio net/core/failover drivers/net/net_failover drivers/net/virtio_net fs/configfs/configfs drivers/hwmon/lm75 drivers/i2c/i2c-dev; do
  f=$m/$k.ko
  [ -e "$f" ] || f=$(ls "$f".* 2>/dev/null | head -1)
  [ -e "$f" ] || { log "module $k missing in $kpkg"; exit 1; }
  case "$f" in *.xz) xz -dc "$f" >"$r/lib/modules/$(basename "$k").ko" ;; *.zst) zstd -dcq "$f" >"$r/lib/modules/$(basename "$k").ko" ;; *) cp "$f" "$r/lib/modules/" ;; esac
done

# gpio-sim and i2c-stub, built out of tree against the flavour's headers with the host's kbuild tools.
hdr=$dir/x/usr/src/linux-headers-$kver
sed -i "s|^include /usr/src/|include $dir/x/usr/src/|" "$hdr/Makefile"
ln -sfn /usr/lib/linux-kbuild-6.1/scripts "$hdr/scripts"
ln -sfn /usr/lib/linux-kbuild-6.1/tools "$hdr/tools"
ln -sfn /usr/lib/linux-kbuild-6.1/scripts "$dir/x/usr/src/linux-headers-$kabi-common/scripts" 2>/dev/null || true
b=$dir/modbuild
mkdir -p "$b"
tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$b" --strip-components=1 \
  linux-source-6.1/drivers/gpio/gpio-sim.c linux-source-6.1/drivers/gpio/gpiolib.h \
  linux-source-6.1/kernel/irq/irq_sim.c linux-source-6.1/drivers/i2c/i2c-stub.c
cp "$here/modules/Kbuild" "$b/Kbuild"
mv "$b/drivers/gpio/gpio-sim.c" "$b/gpio-sim-main.c"
mv "$b/drivers/gpio/gpiolib.h" "$b/gpiolib.h"
mv "$b/drivers/i2c/i2c-stub.c" "$b/i2c-stub.c"
# irq_to_desc is not exported in 6.1; generic_handle_irq(irqnum) is the exported equivalent.
sed 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq(irqnum);/' "$b/kernel/irq/irq_sim.c" >"$b/irq_sim.c"
grep -q 'generic_handle_irq(irqnum)' "$b/irq_sim.c" || { log "irq_sim.c changed upstream: patch did not apply"; exit 1; }
nice -n 10 make -s -C "$hdr" M="$b" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- modules >&2
cp "$b/gpio-sim.ko" "$b/i2c-stub.ko" "$r/lib/modules/"

echo "$kver" >"$dir/kernel-version"
echo "$stamp" >"$dir/ready"
log "ready: $dir"
echo "$dir"
