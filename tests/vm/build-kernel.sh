#!/bin/bash
# Builds the test VM's minimal kernel from Debian's linux-source-6.12 and
# prints the path of the cached bzImage. A kernel already in the cache for the
# same fragment, source version and script is reused as is.
set -euo pipefail
# shellcheck source=tests/vm/common.sh
. "$(dirname "$0")/common.sh"

src_pkg=linux-source-6.12
tarball=/usr/src/linux-source-6.12.tar.xz
fragment=$VGC_VM_DIR/kernel.config

[ -f "$tarball" ] || vgc_die "$tarball missing: install $src_pkg from bookworm-backports (tests/deps.sh)"
key=$(vgc_key "$fragment" "$(vgc_pkg_version "$src_pkg")" "$VGC_VM_DIR/build-kernel.sh")
out=$VGC_CACHE/kernel-$key

vgc_lock kernel
if [ -f "$out/bzImage" ]; then
    echo "$out/bzImage"
    exit 0
fi

work=$VGC_CACHE/build-kernel-$key
log=$VGC_CACHE/build-kernel-$key.log
rm -rf "$work" "$out.tmp"
mkdir -p "$work"
: > "$log"

# Shows the end of the build log when any step fails, then drops the tree.
on_exit() {
    local rc=$?
    if [ "$rc" != 0 ]; then
        echo "vm: kernel build failed (rc=$rc); last lines of $log:" >&2
        tail -n 40 "$log" >&2
    fi
    rm -rf "$work" "$out.tmp"
}
trap on_exit EXIT

started=$SECONDS
vgc_log "building kernel $key from $src_pkg $(vgc_pkg_version "$src_pkg") (log: $log)"
# Documentation is not needed to build, except its top Kconfig.
tar -xJf "$tarball" -C "$work" --strip-components=1 --exclude='linux-source-6.12/Documentation/[!K]*' >> "$log" 2>&1

mk() { make -C "$work" ARCH=x86_64 "$@" >> "$log" 2>&1; }
mk tinyconfig
"$work/scripts/kconfig/merge_config.sh" -m -O "$work" "$work/.config" "$fragment" >> "$log" 2>&1
mk olddefconfig

# olddefconfig silently drops options whose dependencies are unmet; any such
# loss would show up much later as a confusing test failure, so stop here.
missing=0
while IFS= read -r line; do
    case $line in
        CONFIG_*=*) grep -qxF "$line" "$work/.config" ;;
        "# CONFIG_"*" is not set")
            opt=${line#\# }; opt=${opt%% *}
            ! grep -q "^$opt=" "$work/.config" ;;
        *) continue ;;
    esac || { echo "vm: kernel option lost by olddefconfig: $line" >&2; missing=1; }
done < "$fragment"
[ "$missing" = 0 ] || vgc_die "fix $fragment (an option above has unmet dependencies)"

mk -j"$(nproc)" bzImage

mkdir -p "$out.tmp"
cp "$work/arch/x86/boot/bzImage" "$work/.config" "$out.tmp/"
mv "$log" "$out.tmp/build.log"
mv "$out.tmp" "$out"
vgc_log "kernel built in $((SECONDS - started)) s: $out/bzImage"
echo "$out/bzImage"
