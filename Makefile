# vgpiochip: see README.md. Plain make; no configure step.
CC      ?= gcc
PREFIX  ?= /usr/local
CFLAGS  ?= -O2 -g
# 64-bit file offsets: libfuse3 insists on them on 32-bit systems (armhf)
CFLAGS  += -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -pthread
LDLIBS  += -pthread
BUILD   ?= build

# SAN=1 builds everything under AddressSanitizer and UBSan into build-san/.
ifeq ($(SAN),1)
BUILD   := build-san
CFLAGS  += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
endif

# sysfs/gpio.c: the sysfs semantics, FUSE-free, unit-tested with the core
CORE_SRC  := $(wildcard abi/*.c uapi/*.c policy/*.c backend/*.c) sysfs/gpio.c
CORE_OBJ  := $(CORE_SRC:%.c=$(BUILD)/%.o)
# The sysfs front end (/sys/class/gpio over FUSE), beside cuse/ and linked with it.
SYSFS_SRC := sysfs/fs.c sysfs/mount.c
DAEMON_SRC := $(wildcard cuse/*.c inject/*.c) $(SYSFS_SRC)
DAEMON_OBJ := $(DAEMON_SRC:%.c=$(BUILD)/%.o)
# Recursive (=) so that they are looked up only once `make deps` has run.
FUSE_CFLAGS = $(shell pkg-config --cflags fuse3 2>/dev/null)
FUSE_LIBS  = $(shell pkg-config --libs fuse3 2>/dev/null || echo -lfuse3)
UNIT_SRC  := $(wildcard tests/unit/*.c)
UNIT_OBJ  := $(UNIT_SRC:%.c=$(BUILD)/%.o)
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)
# The config file is read with Debian's libinih.
INIH_LIBS  = $(shell pkg-config --libs inih 2>/dev/null || echo -linih)
# The daemon's seccomp filter (cuse/privs.c) is built with Debian's libseccomp.
SECCOMP_LIBS = $(shell pkg-config --libs libseccomp 2>/dev/null || echo -lseccomp)
# Readiness and reload notices to systemd (sd_notify) with Debian's libsystemd;
# a build without it (SYSTEMD_LIBS= SYSTEMD_CFLAGS=) runs fine outside systemd.
SYSTEMD_CFLAGS = -DVGC_HAVE_SYSTEMD
SYSTEMD_LIBS = $(shell pkg-config --libs libsystemd 2>/dev/null || echo -lsystemd)
VM_BINS   := $(BUILD)/vgpiochip $(BUILD)/vgc-client $(BUILD)/vgc-ct $(BUILD)/attach-test \
	     $(BUILD)/test-inject $(BUILD)/vgc-probe $(BUILD)/vgc-transcript \
	     $(BUILD)/vgc-chaos $(BUILD)/vgc-inj $(BUILD)/vgc-sysfs-poll

BENCH_BINS := $(BUILD)/vgpiochip $(BUILD)/vgc-bench $(BUILD)/vgc-floor

.PHONY: bench all check-layers check-unit check-unit-san check check-vm vm-bins vm-prepare demo deps clean install
all: $(BUILD)/vgpiochip

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

# Only the front end sees FUSE headers.
$(BUILD)/cuse/%.o: CFLAGS += $(FUSE_CFLAGS) $(SYSTEMD_CFLAGS)
$(BUILD)/sysfs/%.o: CFLAGS += $(FUSE_CFLAGS)

$(BUILD)/vgpiochip: $(DAEMON_OBJ) $(BUILD)/libvgc-core.a
	$(CC) $(LDFLAGS) -o $@ $^ $(FUSE_LIBS) $(INIH_LIBS) $(SECCOMP_LIBS) $(SYSTEMD_LIBS) $(LDLIBS)

$(BUILD)/libvgc-core.a: $(CORE_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/unit-tests: $(UNIT_OBJ) $(BUILD)/libvgc-core.a
	$(CC) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(INIH_LIBS) $(LDLIBS)

# Test programs that run inside the VM.
$(BUILD)/vgc-%: tests/vm/vgc-%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS)

$(BUILD)/attach-test: tests/vm/attach-test.c cuse/attach.c cuse/attach_ns.c cuse/attach_view.c cuse/attach_sysfs.c cuse/attach.h cuse/attach_job.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ tests/vm/attach-test.c cuse/attach.c cuse/attach_ns.c cuse/attach_view.c cuse/attach_sysfs.c $(LDLIBS)

# The two VM tools in several files each; their header is a prerequisite so a change rebuilds.
TRANSCRIPT_SRC := tests/vm/vgc-transcript.c tests/vm/transcript-out.c tests/vm/transcript-line.c \
		  tests/vm/transcript-v2.c tests/vm/transcript-events.c tests/vm/transcript-v1.c \
		  tests/vm/transcript-gone.c
CHAOS_SRC := tests/vm/vgc-chaos.c tests/vm/chaos-kill.c tests/vm/chaos-random.c \
	     tests/vm/chaos-escape.c tests/vm/chaos-hold.c

$(BUILD)/vgc-transcript: $(TRANSCRIPT_SRC) tests/vm/transcript.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $(TRANSCRIPT_SRC) $(LDLIBS)

$(BUILD)/vgc-chaos: $(CHAOS_SRC) tests/vm/chaos.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $(CHAOS_SRC) $(LDLIBS)

$(BUILD)/vgc-inj: tests/vm/vgc-inj.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(FUSE_CFLAGS) -o $@ $< $(FUSE_LIBS) $(LDLIBS)

$(BUILD)/vgc-floor: tests/vm/vgc-floor.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(FUSE_CFLAGS) -o $@ $< $(FUSE_LIBS) $(LDLIBS)

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

# Everything: unit tests, again under sanitizers, and the VM suite on both
# kernels. Sets up a fresh machine first.
check: deps
	$(MAKE) --no-print-directory vm-prepare
	tests/run-all.sh layers unit unit-san fuzz vm-custom vm-stock platforms lxd

install: $(BUILD)/vgpiochip
	install -D -m 0755 $(BUILD)/vgpiochip $(DESTDIR)$(PREFIX)/bin/vgpiochip
	install -D -m 0644 man/vgpiochip.8 $(DESTDIR)$(PREFIX)/share/man/man8/vgpiochip.8
	install -D -m 0644 man/vgpiochip.conf.5 $(DESTDIR)$(PREFIX)/share/man/man5/vgpiochip.conf.5
	install -d $(DESTDIR)$(PREFIX)/lib/systemd/system
	sed 's|@BINDIR@|$(PREFIX)/bin|g' contrib/systemd/vgpiochip@.service.in \
		> $(DESTDIR)$(PREFIX)/lib/systemd/system/vgpiochip@.service

clean:
	rm -rf build build-san

include tests/inject/inject.mk
# make fuzz (FUZZ_SECONDS per harness, 60) and make fuzz-smoke (60 s in all): libFuzzer, clang
include tests/fuzz/fuzz.mk

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
