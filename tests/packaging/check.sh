#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What a packager (and a Pi owner running make install) relies on, in a copy
# of the tree under a temporary directory so that build/ is never touched:
# CFLAGS and CPPFLAGS add to the project's flags, -Werror only in the checks,
# install/uninstall with PREFIX and DESTDIR, the unit's paths, clean, and
# make deb (lintian, the package's files, no enabled template).
#
#   check.sh [ARCH...]   also cross-builds the .deb for each ARCH (arm64, armhf)
set -u
# As a packager's shell would be: not what make check exports to its stages.
unset WERROR BUILD CFLAGS CPPFLAGS LDFLAGS MAKEFLAGS MFLAGS MAKELEVEL
src=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/tally.sh
. "$src/tests/tally.sh"

check() { # check WHAT CMD...: one ok/not ok line from CMD's status
    local what=$1
    shift
    if "$@"; then
        echo "ok - $what"
        tally_pass=$((tally_pass + 1))
    else
        echo "not ok - $what"
        tally_fail=$((tally_fail + 1))
    fi
}
same() { # same FILE-A FILE-B: equal, else the difference
    diff -u "$1" "$2" | sed 's/^/# /'
    [ "${PIPESTATUS[0]}" -eq 0 ]
}

tmp=$(mktemp -d /tmp/vgpiochip-packaging.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
t0=$(date +%s)

# The tree as git sees it (tracked, and new files not ignored); no .git, so
# make deb's copy of a tree without git is exercised too.
tree=$tmp/src
mkdir -p "$tree"
(cd "$src" && git ls-files -z -c -o --exclude-standard | cpio -0 -pdm --quiet "$tree") ||
    { echo "not ok - copy the tree to $tree"; tally_fail=1; tally_end packaging; exit 1; }
mk() { nice make --no-print-directory -C "$tree" -j2 "$@"; }

# --- a packager's flags: they add to the project's own ---
# The version macro is the probe: cuse/main.c uses VGC_VERSION unless defined.
probe='-DVGC_VERSION=\"9.9.9-cppflags-probe\"'
flags=(CFLAGS=-O2 "CPPFLAGS=$probe" BUILD="$tmp/b1")
mk "${flags[@]}" > "$tmp/b1.log" 2>&1
check "make CFLAGS=-O2 CPPFLAGS=... builds" [ $? -eq 0 ]
check "that vgpiochip runs: --version prints the CPPFLAGS probe" \
    grep -qx 'vgpiochip 9.9.9-cppflags-probe' <("$tmp/b1/vgpiochip" --version 2>&1)
compiles=$(grep -E ' -c -o ' "$tmp/b1.log")
objs=$(find "$tmp/b1" -name '*.o' | wc -l)
check "one compile line per object ($objs)" [ "$(grep -c . <<< "$compiles")" -eq "$objs" ]
for f in -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -pthread -std=gnu11 -O2 '-DVGC_VERSION=\"9.9.9'; do
    check "every compile has $f" [ "$(grep -cF -e "$f" <<< "$compiles")" -eq "$objs" ]
done
fuse=$(pkg-config --cflags fuse3)
check "every cuse/ compile has the fuse3 cflags ($fuse)" \
    [ "$(grep -F "cuse/" <<< "$compiles" | grep -cvF -e "$fuse")" -eq 0 ]
check "no -Werror in a plain make" [ "$(grep -c -e '-Werror\b' "$tmp/b1.log")" -eq 0 ]
check "no compiler warning in a plain make" [ "$(grep -c 'warning:' "$tmp/b1.log")" -eq 0 ]

# --- a missing -dev package is named (a pkg-config that does not know fuse3) ---
printf '#!/bin/sh\nfor a; do [ "$a" = fuse3 ] && exit 1; done\nexec pkg-config "$@"\n' > "$tmp/pc-nofuse"
chmod +x "$tmp/pc-nofuse"
out=$(mk -n BUILD="$tmp/b3" PKG_CONFIG="$tmp/pc-nofuse" 2>&1)
rc=$?
check "without fuse3 the build stops (exit $rc) with 'install libfuse3-dev'" \
    test $rc -ne 0 -a -n "$(grep 'does not find fuse3: install libfuse3-dev' <<< "$out")"

# --- the checks have -Werror (make -n prints what they would compile) ---
mk -n check-unit BUILD="$tmp/b2" > "$tmp/n1.log" 2>&1
n=$(grep -c ' -c -o ' "$tmp/n1.log")
check "make check-unit compiles ($n) all with -Werror" \
    test "$n" -gt 0 -a "$(grep ' -c -o ' "$tmp/n1.log" | grep -c -e '-Werror\b')" -eq "$n"
mk -n check-vm BUILD="$tmp/b2" > "$tmp/n2.log" 2>&1
n=$(grep -c -- "-o $tmp/b2/vgc-" "$tmp/n2.log")
check "make check-vm builds the VM programs ($n) with -Werror" \
    test "$n" -gt 0 -a "$(grep -- "-o $tmp/b2/vgc-" "$tmp/n2.log" | grep -c -e '-Werror\b')" -eq "$n"
# make check itself, with stand-ins for deps.sh, prepare.sh and run-all.sh in
# a copy of its Makefile: what do the stages' makes get?
fake=$tmp/fake
mkdir -p "$fake/tests/vm" "$fake/tests/inject" "$fake/tests/fuzz"
cp "$tree/Makefile" "$fake/"
cp "$tree/tests/inject/inject.mk" "$fake/tests/inject/"
cp "$tree/tests/fuzz/fuzz.mk" "$fake/tests/fuzz/"
printf '#!/bin/sh\nexit 0\n' | tee "$fake/tests/deps.sh" > "$fake/tests/vm/prepare.sh"
printf '#!/bin/sh\necho "stages: $*"\necho "WERROR=${WERROR-unset}"\n' > "$fake/tests/run-all.sh"
chmod +x "$fake/tests/deps.sh" "$fake/tests/vm/prepare.sh" "$fake/tests/run-all.sh"
make -s --no-print-directory -C "$fake" check > "$tmp/check.log" 2>&1
check "make check gives its stages WERROR=1" grep -qx 'WERROR=1' "$tmp/check.log"
check "make check runs the packaging stage" grep -qE '^stages: .* packaging( |$)' "$tmp/check.log"

# --- make install and uninstall, the way a package builds ---
root=$tmp/root
mk "${flags[@]}" install PREFIX=/usr DESTDIR="$root" > "$tmp/install.log" 2>&1
check "make install PREFIX=/usr DESTDIR=... succeeds" [ $? -eq 0 ]
unitdir=$(pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null || echo /usr/lib/systemd/system)
loaddir=$(pkg-config --variable=modulesloaddir systemd 2>/dev/null || echo /usr/lib/modules-load.d)
units=$(cd "$tree/contrib/systemd" && ls ./*.service.in | sed 's|^\./||; s|\.in$||')
{
    printf '%s\n' /usr/bin/vgpiochip /usr/bin/vgpiochip-lxd /usr/share/man/man1/vgpiochip-lxd.1 \
        /usr/share/man/man5/vgpiochip.conf.5 /usr/share/man/man8/vgpiochip.8 "$loaddir/vgpiochip.conf"
    for u in $units; do echo "$unitdir/$u"; done
} | sort > "$tmp/expected"
(cd "$root" && find . ! -type d | sed 's|^\.||' | sort) > "$tmp/installed"
check "install puts exactly the expected files (units in $unitdir)" same "$tmp/expected" "$tmp/installed"
check "only the two programs are installed executable" \
    [ "$(cd "$root" && find . -type f -perm 0755 | sort | tr '\n' ' ')" = \
      "./usr/bin/vgpiochip ./usr/bin/vgpiochip-lxd " ]
for u in $units; do
    f=$root$unitdir/$u
    check "$u: no @VAR@ left" [ "$(grep -c '@[A-Z]*@' "$f")" -eq 0 ]
    check "$u: every Exec line runs /usr/bin/vgpiochip" \
        test "$(grep -cE '^Exec[A-Za-z]*=' "$f")" -gt 0 -a \
            "$(grep -E '^Exec[A-Za-z]*=' "$f" | grep -cvE '=[-@!+]*/usr/bin/vgpiochip ')" -eq 0
done
check "modules-load.d loads cuse" grep -qx cuse "$root$loaddir/vgpiochip.conf"

# systemd-analyze verify wants the binary and man pages where the unit says:
# an install into a real prefix under $tmp (it prints nothing when all is well).
p=$tmp/prefix
mk "${flags[@]}" install PREFIX="$p" UNITDIR="$p/units" > /dev/null 2>&1
for u in $units; do
    out=$(cd "$tmp" && MANPATH=$p/share/man systemd-analyze verify "$p/units/$u" 2>&1)
    rc=$?
    [ -z "$out" ] || sed 's/^/# /' <<< "$out"
    check "systemd-analyze verify $u (installed in $p) is silent" test $rc -eq 0 -a -z "$out"
done

mk "${flags[@]}" uninstall PREFIX=/usr DESTDIR="$root" > "$tmp/uninstall.log" 2>&1
check "make uninstall succeeds" [ $? -eq 0 ]
left=$(cd "$root" && find . ! -type d)
[ -z "$left" ] || sed 's/^/# left: /' <<< "$left"
check "make uninstall leaves no file behind" [ -z "$left" ]

# --- make deb ---
debs() { # debs ARCH: builds the package for ARCH, checks it and its lintian
    local arch=$1 opt=() deb
    [ "$arch" = "$(dpkg --print-architecture)" ] || opt=(DEB_HOST_ARCH="$arch")
    mk deb "${opt[@]}" > "$tmp/deb-$arch.log" 2>&1
    check "make deb${opt[*]:+ ${opt[*]}} builds" [ $? -eq 0 ] || { tail -n 20 "$tmp/deb-$arch.log" | sed 's/^/# /'; }
    deb=$(ls "$tree"/build-deb/vgpiochip_*_"$arch".deb 2>/dev/null)
    check "the $arch .deb is in build-deb/" [ -f "$deb" ] || return
    check "no test ran during the package build (dh_auto_test does nothing)" \
        [ "$(grep -cE 'check-unit|unit-tests|run-all' "$tmp/deb-$arch.log")" -eq 0 ]
    check "$arch: Architecture is $arch" [ "$(dpkg-deb -f "$deb" Architecture)" = "$arch" ]
    check "$arch: Depends has libfuse3-3 from shlibs" grep -q 'libfuse3-3' <(dpkg-deb -f "$deb" Depends)
    sed 's|^/usr/share/man/\(.*\)|/usr/share/man/\1.gz|' "$tmp/expected" |
        { cat; printf '%s\n' /usr/share/doc/vgpiochip/changelog.gz /usr/share/doc/vgpiochip/copyright; } |
        sort > "$tmp/expected-deb"
    dpkg-deb --fsys-tarfile "$deb" | tar t | grep -v '/$' | sed 's|^\.||' | sort > "$tmp/deb-files"
    check "$arch: the package carries exactly the expected files" same "$tmp/expected-deb" "$tmp/deb-files"
    dpkg-deb -x "$deb" "$tmp/x-$arch"
    check "$arch: the daemon is built for $arch" \
        grep -q "$(case $arch in amd64) echo x86-64 ;; arm64) echo aarch64 ;; armhf) echo 'ARM, EABI5' ;; esac)" \
        <(file -L "$tmp/x-$arch/usr/bin/vgpiochip")
    check "$arch: the unit runs /usr/bin/vgpiochip" \
        grep -q '^ExecStart=/usr/bin/vgpiochip ' "$tmp/x-$arch$unitdir/vgpiochip@.service"
    # a template has no instance to enable or start (prerm stops the admin's
    # instances on remove: tests/lxd checks that on a purge)
    check "$arch: no maintainer script enables or starts the template" \
        [ "$(dpkg-deb --ctrl-tarfile "$deb" | tar xO --wildcards './p*' 2>/dev/null |
             grep -cE 'deb-systemd-(helper +(enable|unmask|update-state)|invoke +(start|restart))')" -eq 0 ]
    lintian --fail-on error,warning --pedantic -E "$deb" > "$tmp/lintian-$arch.log" 2>&1
    rc=$?
    grep -vx 'running with root privileges is not recommended!' "$tmp/lintian-$arch.log" |
        sed 's/^/# lintian: /'
    check "$arch: lintian --pedantic: no error, warning, pedantic or experimental tag" \
        test $rc -eq 0 -a "$(grep -cE '^[EWIPX]: ' "$tmp/lintian-$arch.log")" -eq 0
}
debs "$(dpkg --print-architecture)"
for a in "$@"; do debs "$a"; done

# --- make clean removes every build directory, and only those ---
for d in build build-san build-fuzz build-arm64 build-armhf build-deb build-other; do
    mkdir -p "$tree/$d/sub" && touch "$tree/$d/sub/file.o"
done
(cd "$tree" && find . | grep -vE '^\./build' | sort) > "$tmp/before-clean"
mk clean > /dev/null 2>&1
check "make clean succeeds" [ $? -eq 0 ]
left=$(cd "$tree" && ls -d build build-* 2>/dev/null)
check "make clean removes every build directory${left:+ (left: $left)}" [ -z "$left" ]
(cd "$tree" && find . | sort) > "$tmp/after-clean"
check "make clean removes nothing else" same "$tmp/before-clean" "$tmp/after-clean"

# --- tests/deps.sh stops on another release instead of mixing suites ---
# (a private mount namespace shows it a trixie /etc/os-release)
printf 'ID=debian\nVERSION_CODENAME=trixie\n' > "$tmp/os-release"
out=$(unshare -m bash -c 'mount --bind "$1" /etc/os-release && bash "$2"' - \
    "$tmp/os-release" "$src/tests/deps.sh" 2>&1)
rc=$?
check "tests/deps.sh refuses trixie (exit $rc), naming it and saying what to do" \
    test $rc -eq 1 -a -n "$(grep 'this is trixie on' <<< "$out" | grep 'make deb')"

echo "# packaging stage took $(($(date +%s) - t0)) s"
tally_end packaging
