# vgpiochip: see README.md. Plain make; no configure step.
CC      ?= gcc
PREFIX  ?= /usr/local
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -pthread
LDLIBS  += -pthread
BUILD   ?= build

# SAN=1 builds everything under AddressSanitizer and UBSan into build-san/.
ifeq ($(SAN),1)
BUILD   := build-san
CFLAGS  += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
endif

CORE_SRC  := $(wildcard uapi/*.c policy/*.c backend/*.c)
CORE_OBJ  := $(CORE_SRC:%.c=$(BUILD)/%.o)
DAEMON_SRC := $(wildcard cuse/*.c inject/*.c)
DAEMON_OBJ := $(DAEMON_SRC:%.c=$(BUILD)/%.o)
FUSE_CFLAGS := $(shell pkg-config --cflags fuse3 2>/dev/null)
FUSE_LIBS  := $(shell pkg-config --libs fuse3 2>/dev/null || echo -lfuse3)
UNIT_SRC  := $(wildcard tests/unit/*.c)
UNIT_OBJ  := $(UNIT_SRC:%.c=$(BUILD)/%.o)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)

.PHONY: all check-unit check-unit-san check deps clean install
all: $(BUILD)/vgpiochip

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

# Only the front end sees FUSE headers.
$(BUILD)/cuse/%.o: CFLAGS += $(FUSE_CFLAGS)

$(BUILD)/vgpiochip: $(DAEMON_OBJ) $(BUILD)/libvgc-core.a
	$(CC) $(LDFLAGS) -o $@ $^ $(FUSE_LIBS) $(LDLIBS)

$(BUILD)/libvgc-core.a: $(CORE_OBJ)
	$(AR) rcs $@ $^

$(BUILD)/unit-tests: $(UNIT_OBJ) $(BUILD)/libvgc-core.a
	$(CC) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(LDLIBS)

deps:
	bash tests/deps.sh

check-unit: $(BUILD)/unit-tests
	CK_DEFAULT_TIMEOUT=20 $(BUILD)/unit-tests

check-unit-san:
	$(MAKE) SAN=1 check-unit

check: check-unit

clean:
	rm -rf build build-san

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
