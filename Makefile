# vgpiochip: see README.md. Plain make; no configure step.
#
# For packagers: CC, AR, PKG_CONFIG, CFLAGS, CPPFLAGS, LDFLAGS, PREFIX,
# DESTDIR, BINDIR, MANDIR, UNITDIR and MODULESLOADDIR are yours to set, on the
# command line or in the environment. The project's own flags live in VGC_*
# and always apply, so `make CFLAGS=-O2` only replaces the default -O2 -g.
# -Werror only with WERROR=1, which the check targets set: a newer compiler's
# new warning must not break a user's build, but it does break CI.
CC         ?= gcc
PKG_CONFIG ?= pkg-config
CFLAGS     ?= -O2 -g
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
BUILD      ?= build
WERROR     ?=

# 64-bit file offsets: libfuse3 insists on them on 32-bit systems (armhf)
VGC_CPPFLAGS := -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64
VGC_CFLAGS   := -std=gnu11 -Wall -Wextra -pthread
VGC_LDFLAGS  :=
# Recursive: a target-specific WERROR (the check targets) reaches it.
VGC_WERROR    = $(if $(filter 1 yes,$(WERROR)),-Werror)
LDLIBS       += -pthread

# SAN=1 builds everything under AddressSanitizer and UBSan into build-san/.
ifeq ($(SAN),1)
BUILD        := build-san
VGC_CFLAGS   += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
VGC_LDFLAGS  += -fsanitize=address,undefined
endif

# Every compile and link; the user's flags come last so that they win.
# VGC_DEP_CFLAGS is the include path of a library, set per directory below.
COMPILE = $(VGC_CPPFLAGS) $(CPPFLAGS) $(VGC_CFLAGS) $(VGC_WERROR) $(CFLAGS)
LINK    = $(VGC_LDFLAGS) $(LDFLAGS)

# The systemd directories from systemd.pc (bookworm: /lib/systemd/system), so
# that the unit lands where systemd reads it whatever PREFIX is.
ifeq ($(origin UNITDIR),undefined)
UNITDIR := $(or $(shell $(PKG_CONFIG) --variable=systemdsystemunitdir systemd 2>/dev/null),$(PREFIX)/lib/systemd/system)
endif
ifeq ($(origin MODULESLOADDIR),undefined)
MODULESLOADDIR := $(or $(shell $(PKG_CONFIG) --variable=modulesloaddir systemd 2>/dev/null),$(PREFIX)/lib/modules-load.d)
endif

# $(call pc,--cflags|--libs,MODULE,DEBIAN-PACKAGE): what pkg-config says, or
# a stop that names the package to install. Recursive (=) users below, so
# they are looked up only when a rule needs them (after `make deps`), and
# a build that sets FUSE_CFLAGS etc. itself (tests/vm-arm64/build.sh) never asks.
pc = $(if $(shell $(PKG_CONFIG) --exists $(2) 2>/dev/null && echo y),$(shell $(PKG_CONFIG) $(1) $(2)),$(error \
	$(PKG_CONFIG) does not find $(2): install $(3) (and pkg-config); for a cross build, $(3):ARCH \
	and PKG_CONFIG=TRIPLET-pkg-config))

# sysfs/gpio.c: the sysfs semantics, FUSE-free, unit-tested with the core
CORE_SRC  := $(wildcard abi/*.c uapi/*.c policy/*.c backend/*.c) sysfs/gpio.c
CORE_OBJ  := $(CORE_SRC:%.c=$(BUILD)/%.o)
# The VM front end (vgpiochip --vhost-user), beside cuse/.
VHOST_SRC := $(wildcard vhost/*.c)
# The sysfs front end (/sys/class/gpio over FUSE), beside cuse/ and linked with it.
SYSFS_SRC := sysfs/fs.c sysfs/mount.c
DAEMON_SRC := $(wildcard cuse/*.c inject/*.c) $(VHOST_SRC) $(SYSFS_SRC)
DAEMON_OBJ := $(DAEMON_SRC:%.c=$(BUILD)/%.o)
FUSE_CFLAGS = $(call pc,--cflags,fuse3,libfuse3-dev)
FUSE_LIBS  = $(call pc,--libs,fuse3,libfuse3-dev)
UNIT_SRC  := $(wildcard tests/unit/*.c)
UNIT_OBJ  := $(UNIT_SRC:%.c=$(BUILD)/%.o)
CHECK_LIBS = $(call pc,--libs,check,check)
# The config file is read with Debian's libinih.
INIH_LIBS  = $(call pc,--libs,inih,libinih-dev)
# The daemon's seccomp filter (cuse/privs.c) is built with Debian's libseccomp.
SECCOMP_LIBS = $(call pc,--libs,libseccomp,libseccomp-dev)
# `status --json` and the CDI spec are written with Debian's json-c.
JSON_CFLAGS = $(call pc,--cflags,json-c,libjson-c-dev)
JSON_LIBS  = $(call pc,--libs,json-c,libjson-c-dev)
# Another library is one more such pair, its CFLAGS in VGC_DEP_CFLAGS of the
# objects that include it and its LIBS on the link line.
VM_BINS   := $(BUILD)/vgpiochip $(BUILD)/vgc-client $(BUILD)/vgc-ct $(BUILD)/attach-test \
	     $(BUILD)/test-inject $(BUILD)/vgc-probe $(BUILD)/vgc-transcript \
	     $(BUILD)/vgc-chaos $(BUILD)/vgc-inj $(BUILD)/vgc-bench $(BUILD)/vgc-sysfs-poll \
	     $(BUILD)/vgc-vhost-diff

BENCH_BINS := $(BUILD)/vgpiochip $(BUILD)/vgc-bench $(BUILD)/vgc-floor $(BUILD)/vgc-vhost-bench

.PHONY: bench all check-layers check-unit check-unit-san check check-packaging check-vm check-vhost vm-bins vm-prepare demo deps \
	clean install uninstall deb FORCE
all: $(BUILD)/vgpiochip

# The flags of the last build: objects depend on it, so a build with other
# flags (WERROR=1 for the checks, a packager's CFLAGS) recompiles everything.
sq = '$(subst ','\'',$(1))'
$(BUILD)/.flags: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' $(call sq,$(CC) $(COMPILE)) | cmp -s - $@ || printf '%s\n' $(call sq,$(CC) $(COMPILE)) > $@

$(BUILD)/%.o: %.c $(BUILD)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(COMPILE) $(VGC_DEP_CFLAGS) $(VGC_FILE_CFLAGS) -MMD -MP -c -o $@ $<

# Only the front end sees FUSE headers.
$(BUILD)/cuse/%.o: VGC_DEP_CFLAGS = $(FUSE_CFLAGS) $(JSON_CFLAGS)
$(BUILD)/sysfs/%.o: VGC_DEP_CFLAGS = $(FUSE_CFLAGS)
# libseccomp's SCMP_A0() leaves a field of its struct out, which clang
# reports in the file that uses the macro.
$(BUILD)/cuse/privs.o: VGC_FILE_CFLAGS = -Wno-missing-field-initializers

$(BUILD)/vgpiochip: $(DAEMON_OBJ) $(BUILD)/libvgc-core.a
	$(CC) $(COMPILE) $(LINK) -o $@ $^ $(FUSE_LIBS) $(INIH_LIBS) $(SECCOMP_LIBS) $(JSON_LIBS) $(LDLIBS)

$(BUILD)/libvgc-core.a: $(CORE_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

# cuse/notify.c needs no FUSE, and the VM front end's device and ring
# walker none either: the unit tests link them alone.
VHOST_UNIT_OBJ := $(BUILD)/vhost/gpio.o $(BUILD)/vhost/vring.o
$(BUILD)/unit-tests: $(UNIT_OBJ) $(BUILD)/cuse/notify.o $(VHOST_UNIT_OBJ) $(BUILD)/libvgc-core.a
	$(CC) $(COMPILE) $(LINK) -o $@ $^ $(CHECK_LIBS) $(INIH_LIBS) $(LDLIBS)

# The VM front end's device over a host chip and over simulated lines (scenario-vhost-diff.sh).
$(BUILD)/vgc-vhost-diff: tests/vm/vgc-vhost-diff.c $(VHOST_UNIT_OBJ) $(BUILD)/libvgc-core.a $(BUILD)/.flags
	$(CC) $(COMPILE) $(LINK) -o $@ $< $(VHOST_UNIT_OBJ) $(BUILD)/libvgc-core.a $(LDLIBS)

# Test programs that run inside the VM.
$(BUILD)/vgc-%: tests/vm/vgc-%.c $(BUILD)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(COMPILE) $(LINK) -o $@ $< $(LDLIBS)

ATTACH_SRC := cuse/attach.c cuse/attach_ns.c cuse/attach_view.c cuse/attach_sysfs.c
$(BUILD)/attach-test: tests/vm/attach-test.c $(ATTACH_SRC) cuse/attach.h cuse/attach_job.h $(BUILD)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(COMPILE) $(LINK) -o $@ tests/vm/attach-test.c $(ATTACH_SRC) $(LDLIBS)

# The two VM tools in several files each; their header is a prerequisite so a change rebuilds.
TRANSCRIPT_SRC := tests/vm/vgc-transcript.c tests/vm/transcript-out.c tests/vm/transcript-line.c \
		  tests/vm/transcript-v2.c tests/vm/transcript-events.c tests/vm/transcript-v1.c \
		  tests/vm/transcript-gone.c
CHAOS_SRC := tests/vm/vgc-chaos.c tests/vm/chaos-kill.c tests/vm/chaos-random.c \
	     tests/vm/chaos-escape.c tests/vm/chaos-hold.c

$(BUILD)/vgc-transcript: $(TRANSCRIPT_SRC) tests/vm/transcript.h $(BUILD)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(COMPILE) $(LINK) -o $@ $(TRANSCRIPT_SRC) $(LDLIBS)

$(BUILD)/vgc-chaos: $(CHAOS_SRC) tests/vm/chaos.h $(BUILD)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(COMPILE) $(LINK) -o $@ $(CHAOS_SRC) $(LDLIBS)

$(BUILD)/vgc-inj: tests/vm/vgc-inj.c $(BUILD)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(COMPILE) $(FUSE_CFLAGS) $(LINK) -o $@ $< $(FUSE_LIBS) $(LDLIBS)

$(BUILD)/vgc-floor: tests/vm/vgc-floor.c $(BUILD)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(COMPILE) $(FUSE_CFLAGS) $(LINK) -o $@ $< $(FUSE_LIBS) $(LDLIBS)

vm-bins: $(VM_BINS)

# Fills the VM caches (kernel build, Debian packages) so later stages only boot.
vm-prepare:
	tests/vm/prepare.sh

deps:
	bash tests/deps.sh

# The product in one narrated run, in the test VM (sets up a fresh machine).
demo: deps
	$(MAKE) --no-print-directory vm-bins vm-prepare
	tests/vm/check-vm.sh custom tests/vm/demo.sh

# Side-by-side timings in the VM; writes docs/bench.md and docs/bench.png.
bench: deps
	$(MAKE) --no-print-directory $(BENCH_BINS) vm-prepare
	tests/bench/run.sh

# The checks build with -Werror (inherited by every prerequisite, and passed
# to the sub-makes: environment and command line).
check-vm check-vhost check-unit check-unit-san check: export WERROR := 1

# The VM front end alone: a QEMU guest driving lines through vgpiochip --vhost-user.
check-vhost: $(BUILD)/vgpiochip
	tests/vhost/run.sh

check-vm: vm-bins
	tests/vm/check-vm.sh custom
	tests/vm/check-vm.sh stock

check-unit: $(BUILD)/unit-tests
	CK_DEFAULT_TIMEOUT=20 CK_TAP_LOG_FILE_NAME=- $(BUILD)/unit-tests

check-unit-san:
	$(MAKE) SAN=1 check-unit

# abi < policy < backend < uapi; inject alone; cuse over all: includes go down only.
check-layers:
	tests/check-layers.sh

# The packaging checks (tests/packaging/check.sh): flags, install, uninstall, clean, make deb.
check-packaging:
	tests/packaging/check.sh

# Everything: unit tests, again under sanitizers, and the VM suite on both
# kernels. Sets up a fresh machine first.
check: deps
	$(MAKE) --no-print-directory vm-prepare
	tests/run-all.sh layers unit unit-san fuzz packaging vm-custom vm-stock vhost platforms lxd

# DESTDIR for staging (packages); every path below also in uninstall.
# Each contrib/systemd/*.service.in is installed with @BINDIR@ filled in.
UNITS := $(patsubst contrib/systemd/%.in,%,$(wildcard contrib/systemd/*.service.in))
MANS  := man/vgpiochip.8 man/vgpiochip.conf.5 man/vgpiochip-lxd.1

install: $(BUILD)/vgpiochip
	install -D -m 0755 $(BUILD)/vgpiochip $(DESTDIR)$(BINDIR)/vgpiochip
	install -D -m 0755 contrib/lxd/vgpiochip-lxd $(DESTDIR)$(BINDIR)/vgpiochip-lxd
	set -e; for m in $(MANS); do \
		s=$${m##*.}; install -D -m 0644 $$m $(DESTDIR)$(MANDIR)/man$$s/$${m#man/}; done
	install -d $(DESTDIR)$(UNITDIR)
	set -e; for u in $(UNITS); do \
		sed 's|@BINDIR@|$(BINDIR)|g' contrib/systemd/$$u.in > $(DESTDIR)$(UNITDIR)/$$u; \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$$u; done
	install -D -m 0644 contrib/modules-load.d/vgpiochip.conf $(DESTDIR)$(MODULESLOADDIR)/vgpiochip.conf

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/vgpiochip $(DESTDIR)$(BINDIR)/vgpiochip-lxd
	rm -f $(foreach m,$(MANS),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(notdir $(m)))
	rm -f $(UNITS:%=$(DESTDIR)$(UNITDIR)/%) $(DESTDIR)$(MODULESLOADDIR)/vgpiochip.conf

# The Debian package (debian/): dpkg-buildpackage writes next to the source
# directory, so it builds a copy (the files git knows, tracked or not
# ignored) in build-deb/src and the .deb lands in build-deb/.
# DEB_HOST_ARCH=arm64|armhf cross-builds (crossbuild-essential-ARCH and the
# ARCH -dev packages, see tests/deps.sh); DEB_JOBS is its -J.
DEB_HOST_ARCH ?=
DEB_JOBS ?= 2
deb:
	@command -v dpkg-buildpackage > /dev/null && command -v dh > /dev/null || \
		{ echo "make deb: install dpkg-dev and debhelper (apt-get install dpkg-dev debhelper)" >&2; exit 1; }
	rm -rf build-deb/src
	mkdir -p build-deb/src/vgpiochip
	if [ -d .git ] || [ -f .git ]; then git ls-files -z -c -o --exclude-standard; \
	else find . -path ./.git -prune -o -path './build*' -prune -o -type f -print0; fi | \
		cpio -0 -pdm --quiet build-deb/src/vgpiochip
	cd build-deb/src/vgpiochip && dpkg-buildpackage -us -uc -b -J$(DEB_JOBS) $(if $(DEB_HOST_ARCH),-a$(DEB_HOST_ARCH))
	mv build-deb/src/*.deb build-deb/src/*.buildinfo build-deb/src/*.changes build-deb/
	@ls build-deb/*.deb

# Every build directory: build, build-san, build-fuzz, build-ARCH, build-deb, ...
clean:
	rm -rf build $(wildcard build-*/)

include tests/inject/inject.mk
# make fuzz (FUZZ_SECONDS per harness, 60) and make fuzz-smoke (60 s in all): libFuzzer, clang
include tests/fuzz/fuzz.mk

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
