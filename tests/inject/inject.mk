# The injector against real callers on a FUSE file (root and /dev/fuse).
# Include from the top Makefile: `include tests/inject/inject.mk`.
INJECT_TEST_SRC := tests/inject/test-inject.c tests/inject/server.c \
		   tests/inject/client.c inject/inject.c
FUSE3_CFLAGS ?= $(shell pkg-config --cflags fuse3)
FUSE3_LIBS   ?= $(shell pkg-config --libs fuse3)

$(BUILD)/test-inject: $(INJECT_TEST_SRC) tests/inject/test-inject.h \
		      inject/inject.h inject/arch.h inject/arch/x86_64.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(FUSE3_CFLAGS) $(LDFLAGS) -o $@ $(INJECT_TEST_SRC) \
		$(FUSE3_LIBS) $(LDLIBS)

.PHONY: check-inject
check-inject: $(BUILD)/test-inject
	$(BUILD)/test-inject
