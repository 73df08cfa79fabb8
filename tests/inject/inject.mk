# The injector against real callers on a FUSE file (root and /dev/fuse):
# runs in the test VM as tests/vm/scenario-inject.sh.
INJECT_TEST_SRC := tests/inject/test-inject.c tests/inject/server.c \
		   tests/inject/client.c inject/inject.c inject/paths.c inject/thread.c \
		   inject/watchdog.c

$(BUILD)/test-inject: $(INJECT_TEST_SRC) tests/inject/test-inject.h \
		      inject/inject.h inject/internal.h inject/arch.h inject/arch/x86_64.h \
		      $(BUILD)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(COMPILE) $(FUSE_CFLAGS) $(LINK) -o $@ $(INJECT_TEST_SRC) \
		$(FUSE_LIBS) $(LDLIBS)

