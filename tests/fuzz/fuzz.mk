# libFuzzer harnesses for the core (see tests/fuzz/README.md). Included from
# the Makefile, or used alone: make -f tests/fuzz/fuzz.mk fuzz FUZZ_SECONDS=60
#
#   make fuzz         build with clang, run each harness FUZZ_SECONDS (60) on its corpus
#   make fuzz-smoke   the same for FUZZ_SMOKE_TOTAL (80) seconds shared by all harnesses (CI)
#   make fuzz-build   only build; make fuzz-clean removes build-fuzz/
#
# Everything is built with clang under ASan and UBSan into build-fuzz/, the
# core sources included, so build/ and build-san/ are never touched.

FUZZ_CC      ?= clang
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_OPT     ?= -O1 -g
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS  := $(FUZZ_OPT) -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE $(FUZZ_SAN)
PKG_CONFIG   ?= pkg-config
FUZZ_LIBS     = $(shell $(PKG_CONFIG) --libs inih 2>/dev/null || echo -linih)

FUZZ_CORE_SRC := $(wildcard abi/*.c uapi/*.c policy/*.c backend/*.c)
FUZZ_CORE_OBJ := $(FUZZ_CORE_SRC:%.c=$(FUZZ_BUILD)/%.o)

# One harness per tests/fuzz/fuzz-NAME.c, run on tests/fuzz/corpus-NAME/ (and
# tests/fuzz/NAME.dict if there is one). Its helper sources, if any, are
# FUZZ_SRC_NAME. Adding a harness (fuzz-config.c for policy/config.c, say)
# needs only its file, a few seeds in corpus-config/, and a line here if it
# has helpers.
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz-%.c,%,$(wildcard tests/fuzz/fuzz-*.c))
FUZZ_SRC_uapi := tests/fuzz/uapi-model.c tests/fuzz/uapi-ioctl.c
# The VM front end's pure parts: the message parser, the ring walker, the device.
FUZZ_SRC_vhost := vhost/proto.c vhost/vring.c
FUZZ_SRC_vhost-ring := vhost/vring.c vhost/gpio.c
FUZZ_BINS    := $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz-%)

.PHONY: fuzz fuzz-smoke fuzz-build fuzz-seeds fuzz-clean

fuzz: fuzz-build fuzz-seeds
	tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_NAMES)

# A target-specific value, inherited by fuzz when it runs for fuzz-smoke: the
# CI round has a fixed budget, split evenly between the harnesses.
FUZZ_SMOKE_TOTAL ?= 80
fuzz-smoke: FUZZ_SECONDS := $(shell n=$(words $(FUZZ_NAMES)); echo $$(( $(FUZZ_SMOKE_TOTAL) / ($$n ? $$n : 1) )))
fuzz-smoke: fuzz

fuzz-build: $(FUZZ_BINS) $(FUZZ_BUILD)/mkseeds

# Seeds written from the conformance rules; regenerated, not kept in git.
fuzz-seeds: $(FUZZ_BUILD)/mkseeds
	$(FUZZ_BUILD)/mkseeds tests/fuzz/corpus-uapi

# Coverage guides the fuzzer: the core and the harnesses have it, the
# checkers that only judge answers (FUZZ_NOCOV) do not.
FUZZ_COV    := -fsanitize=fuzzer-no-link
FUZZ_NOCOV  := tests/fuzz/uapi-model.c
$(FUZZ_NOCOV:%.c=$(FUZZ_BUILD)/%.o): FUZZ_COV :=

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_COV) -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/libvgc-core.a: $(FUZZ_CORE_OBJ)
	rm -f $@
	ar rcs $@ $^

define FUZZ_HARNESS_RULE
$(FUZZ_BUILD)/fuzz-$(1): $(FUZZ_BUILD)/tests/fuzz/fuzz-$(1).o \
		$(FUZZ_SRC_$(1):%.c=$(FUZZ_BUILD)/%.o) $(FUZZ_BUILD)/libvgc-core.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $$@ $$^ $$(FUZZ_LIBS)
endef
$(foreach n,$(FUZZ_NAMES),$(eval $(call FUZZ_HARNESS_RULE,$(n))))

# A plain program: it only writes files.
$(FUZZ_BUILD)/mkseeds: tests/fuzz/mkseeds.c tests/fuzz/mkseeds-multi.c tests/fuzz/mkseeds.h \
		tests/fuzz/uapi-ops.h tests/uapi-flags.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_OPT) -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -o $@ tests/fuzz/mkseeds.c tests/fuzz/mkseeds-multi.c

fuzz-clean:
	rm -rf $(FUZZ_BUILD)

-include $(shell find $(FUZZ_BUILD) -name '*.d' 2>/dev/null)
