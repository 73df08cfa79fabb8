#!/bin/bash
# Cross-builds the daemon and the VM test programs for arm64 into
# $BUILD (default build-arm64) with Debian's gcc-aarch64-linux-gnu.
#
# No multiarch -dev packages are installed on the host: libfuse3-dev,
# libinih-dev and their libraries for arm64 are extracted by fetch-debs.sh
# into the guest's root tree, which doubles as the sysroot here (headers by
# C_INCLUDE_PATH, libraries by exact soname: the packages' .so links are
# absolute and point into the guest, not the host).
set -euo pipefail
# shellcheck source=tests/vm/common.sh
. "$(dirname "$0")/../vm/common.sh"
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."

command -v aarch64-linux-gnu-gcc > /dev/null || vgc_die "no aarch64-linux-gnu-gcc (apt-get install gcc-aarch64-linux-gnu)"
root=$("$here/fetch-debs.sh" | tail -n 1)
build=${BUILD:-build-arm64}
lib="-L$root/lib/aarch64-linux-gnu -L$root/usr/lib/aarch64-linux-gnu"
# libsystemd's own libraries are only resolved, never linked in
links="-Wl,-rpath-link,$root/lib/aarch64-linux-gnu:$root/usr/lib/aarch64-linux-gnu"
C_INCLUDE_PATH=$root/usr/include make --no-print-directory -j"$(nproc)" \
    BUILD="$build" CC=aarch64-linux-gnu-gcc AR=aarch64-linux-gnu-ar \
    FUSE_CFLAGS="-I$root/usr/include/fuse3" \
    FUSE_LIBS="$lib -l:libfuse3.so.3" \
    INIH_LIBS="$lib -l:libinih.so.1" \
    SECCOMP_LIBS="$lib -l:libseccomp.so.2" \
    SYSTEMD_LIBS="$lib -l:libsystemd.so.0 $links" \
    vm-bins >&2
echo "$build"
