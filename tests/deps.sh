#!/bin/bash
# Installs what a fresh Debian 12 machine lacks to build vgpiochip, run its unit
# tests and boot its test VM. Idempotent: a second run only checks.
set -euo pipefail

# It adds bookworm-backports and i386/arm64/armhf packages of bookworm: on
# another release or architecture that would mix suites, so it stops.
codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
arch=$(dpkg --print-architecture 2>/dev/null || uname -m)
if [ "$codename" != bookworm ] || [ "$arch" != amd64 ]; then
    echo "deps: make demo, make check and make bench set up Debian 12 (bookworm) on x86_64 only;" \
        "this is ${codename:-an unknown system} on $arch. To build and install vgpiochip here," \
        "install gcc make pkg-config libfuse3-dev libinih-dev libseccomp-dev" \
        "libjson-c-dev and run make && make install, or make deb (see README.md)." >&2
    exit 1
fi

need=(gcc make pkg-config check libsubunit-dev libfuse3-dev libinih-dev libjson-c-dev jq
      qemu-system-x86 busybox-static util-linux cpio xz-utils zstd kmod strace gnuplot-nox
      bc bison flex libelf-dev libssl-dev dwarves rsync
      libseccomp-dev clang libclang-rt-14-dev
      gcc-aarch64-linux-gnu qemu-system-arm
      gcc-arm-linux-gnueabihf libc6-dev-armhf-cross libc6-dev-arm64-cross
      debhelper dpkg-dev lintian
      crossbuild-essential-arm64 crossbuild-essential-armhf)
# make deb DEB_HOST_ARCH=arm64|armhf (the packaging and platforms stages):
# the daemon's -dev packages of those architectures beside the amd64 ones.
for a in arm64 armhf; do
    need+=("pkgconf:$a" "libfuse3-dev:$a" "libinih-dev:$a" "libseccomp-dev:$a"
           "libjson-c-dev:$a")
done
# the platform stage downloads arm64, armhf and i386 packages for its VMs
foreign=(i386 arm64 armhf)
backports=(linux-source-6.12)

missing=()
for a in "${foreign[@]}"; do
    dpkg --print-foreign-architectures | grep -qx "$a" || missing+=("architecture:$a")
done
for p in "${need[@]}" "${backports[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "deps: missing packages: ${missing[*]}; run this as root (sudo $0)" >&2
    exit 1
fi

src=/etc/apt/sources.list.d/vgpiochip-backports.sources
if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    cat > "$src" <<SRC
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
for a in "${foreign[@]}"; do dpkg --add-architecture "$a"; done
export DEBIAN_FRONTEND=noninteractive
# A mirror caught mid-sync fails an index or two: try again, then go on with
# what was fetched (the install below says what is really missing).
apt-get update -qq || { sleep 10; apt-get update -qq; } ||
    echo "deps: apt-get update had errors; trying the install with the indexes there are" >&2
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
apt-get install -y -qq --no-install-recommends -t bookworm-backports "${backports[@]}" >/dev/null
echo "deps: installed ${missing[*]}"
