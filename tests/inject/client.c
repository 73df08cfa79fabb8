// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The injector test's clients: each calls the FUSE file's ioctl in its own
 * way and checks what a caller must see afterwards. Each returns the
 * number of failures it found and says what they were on stderr.
 */
#include "test-inject.h"

int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}


/* Clients that choose their number of requests tell the driver here. */
int client_count_fd = -1;

static void client_tell_count(int n)
{
	if (write(client_count_fd, &n, sizeof(n)) != sizeof(n))
		fprintf(stderr, "  client: cannot tell the driver its count\n");
}

static int client_fail(const char *what, int i, const char *detail)
{
	fprintf(stderr, "  client %d: request %d: %s%s%s\n", (int)gettid(), i,
		what, detail ? ": " : "", detail ? detail : "");
	return 1;
}

static void client_fill(struct test_req *r, uint32_t cookie)
{
	memset(r, 0, sizeof(*r));
	r->cookie = cookie;
	snprintf(r->label, sizeof(r->label), "label-%08x-intact", cookie);
	r->fd = 12345;
}

static bool client_intact(const struct test_req *r, uint32_t cookie)
{
	char label[sizeof(r->label)] = { 0 };

	snprintf(label, sizeof(label), "label-%08x-intact", cookie);
	return r->cookie == cookie && !memcmp(r->label, label, sizeof(label));
}

static int client_lowest_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	close(fd);
	return fd;
}

/* One injected request and everything the caller must see afterwards. */
static int client_inject_one(int dev, int i, bool check_lowest,
			     const struct stat *file_st, uint64_t *ns)
{
	uint32_t cookie = (uint32_t)random();
	int expect = check_lowest ? client_lowest_fd() : -1;
	struct timespec t0, t1;
	struct test_req r;
	struct stat st;
	int rc, flags;

	client_fill(&r, cookie);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = ioctl(dev, TEST_IOC_INJECT, &r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (ns)
		*ns = (t1.tv_sec - t0.tv_sec) * 1000000000ull + t1.tv_nsec -
		      t0.tv_nsec;
	if (rc != 0)
		return client_fail("ioctl failed", i, strerror(errno));
	if (!client_intact(&r, cookie) || r.answer != TEST_ANSWER(cookie))
		return client_fail("struct not intact", i, r.label);
	if (r.fd < 0)
		return client_fail("no fd", i, NULL);
	if (check_lowest && r.fd != expect)
		return client_fail("fd is not the lowest free one", i, NULL);
	flags = fcntl(r.fd, F_GETFD);
	if (flags < 0 || !(flags & FD_CLOEXEC))
		return client_fail("fd without FD_CLOEXEC", i, NULL);
	flags = fcntl(r.fd, F_GETFL);
	if ((flags & O_ACCMODE) != O_RDONLY)
		return client_fail("fd not O_RDONLY", i, NULL);
	if (fstat(r.fd, &st) || st.st_dev != file_st->st_dev ||
	    st.st_ino != file_st->st_ino)
		return client_fail("fd is not the FUSE file", i, NULL);
	close(r.fd);
	return 0;
}

/* A failing request: errno err, struct intact, no fd gained. */
static int client_expect_error_at(int dev, unsigned long cmd, int err,
				  struct test_req *r)
{
	uint32_t cookie = (uint32_t)random();
	int expect = client_lowest_fd();

	client_fill(r, cookie);
	if (ioctl(dev, cmd, r) != -1 || errno != err)
		return client_fail("wrong result", (int)(cmd & 0xff),
				   strerror(errno));
	if (!client_intact(r, cookie))
		return client_fail("struct not intact", 0, r->label);
	if (client_lowest_fd() != expect)
		return client_fail("an fd leaked into the caller", 0, NULL);
	return 0;
}

static int client_expect_error(int dev, unsigned long cmd, int err)
{
	struct test_req r;

	return client_expect_error_at(dev, cmd, err, &r);
}

/*
 * The struct ends a page and nothing is mapped after it, so writing the fd
 * fails after the openat: the injector must close the new fd again.
 */
static int client_fd_beyond(int dev)
{
	long page = sysconf(_SC_PAGESIZE);
	uint8_t *map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fails;

	if (map == MAP_FAILED || munmap(map + page, page))
		return client_fail("mmap", 0, NULL);
	fails = client_expect_error_at(dev, TEST_IOC_FD_BEYOND, EIO,
			(struct test_req *)(map + page - sizeof(struct test_req)));
	munmap(map, page);
	return fails;
}

static int client_not_traced(void)
{
	char line[256];
	FILE *f = fopen("/proc/thread-self/status", "r");
	int tracer = -1;

	while (f && fgets(line, sizeof(line), f))
		sscanf(line, "TracerPid: %d", &tracer);
	if (f)
		fclose(f);
	return tracer == 0 ? 0 : client_fail("still traced", 0, NULL);
}

static int client_open(struct stat *st)
{
	int dev = open(test_path, O_RDONLY | O_CLOEXEC);

	if (dev < 0 || fstat(dev, st)) {
		perror("client: open the FUSE file");
		exit(100);
	}
	return dev;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int client_one(void)
{
	struct stat st;
	int dev = client_open(&st);

	return client_inject_one(dev, 0, true, &st, NULL) + client_not_traced();
}

int client_in_a_row(void)
{
	uint64_t inject_ns[200], plain_ns[200];
	struct timespec t0, t1;
	struct test_req r;
	struct stat st;
	int dev = client_open(&st), fails = 0, i;

	for (i = 0; i < 200; i++)
		fails += client_inject_one(dev, i, true, &st, &inject_ns[i]);
	for (i = 0; i < 200; i++) {
		client_fill(&r, i);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (ioctl(dev, TEST_IOC_PLAIN, &r))
			fails += client_fail("plain ioctl", i, strerror(errno));
		clock_gettime(CLOCK_MONOTONIC, &t1);
		plain_ns[i] = (t1.tv_sec - t0.tv_sec) * 1000000000ull +
			      t1.tv_nsec - t0.tv_nsec;
	}
	qsort(inject_ns, 200, sizeof(inject_ns[0]), cmp_u64);
	qsort(plain_ns, 200, sizeof(plain_ns[0]), cmp_u64);
	printf("  median of 200: ioctl with injection %.1f us, plain ioctl %.1f us\n",
	       inject_ns[100] / 1000.0, plain_ns[100] / 1000.0);
	fflush(stdout);
	return fails + client_not_traced();
}

struct client_thread {
	pthread_t thread;
	int dev;
	struct stat st;
	int fails;
};

static void *client_thread_run(void *data)
{
	struct client_thread *ct = data;
	int i;

	for (i = 0; i < 50; i++)
		ct->fails += client_inject_one(ct->dev, i, false, &ct->st, NULL);
	return NULL;
}

int client_threads(void)
{
	struct client_thread ct[8];
	struct stat st;
	int dev = client_open(&st), fails = 0, i;

	for (i = 0; i < 8; i++) {
		ct[i] = (struct client_thread){ .dev = dev, .st = st };
		if (pthread_create(&ct[i].thread, NULL, client_thread_run, &ct[i]))
			return client_fail("pthread_create", i, NULL);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(ct[i].thread, NULL);
		fails += ct[i].fails;
	}
	return fails;
}

static volatile sig_atomic_t client_alarms;

static void client_on_alarm(int sig)
{
	(void)sig;
	client_alarms++;
}

/* At least 50 requests, and on until 200 alarms have hit the client. */
int client_alarm_storm(void)
{
	struct sigaction sa = { .sa_handler = client_on_alarm,
				.sa_flags = SA_RESTART };
	struct itimerval storm = { { 0, 100 }, { 0, 100 } };
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	struct stat st;
	int dev = client_open(&st), fails = 0, i;

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &storm, NULL);
	for (i = 0; i < 5000 && (i < 50 || client_alarms < 200); i++)
		fails += client_inject_one(dev, i, true, &st, NULL);
	setitimer(ITIMER_REAL, &off, NULL);
	if (client_alarms < 200)
		fails += client_fail("too few SIGALRMs to call it a storm", i, NULL);
	printf("  %d SIGALRMs during %d requests\n", (int)client_alarms, i);
	client_tell_count(i);
	return fails;
}

#define RT_SIGNALS 3000
static uint8_t client_rt_seen[RT_SIGNALS];
static volatile sig_atomic_t client_rt_count, client_rt_bad;

static void client_on_rt(int sig, siginfo_t *si, void *uc)
{
	int v = si->si_value.sival_int;

	(void)sig, (void)uc;
	if (si->si_code != SI_QUEUE || v < 0 || v >= RT_SIGNALS ||
	    client_rt_seen[v])
		client_rt_bad++;
	else
		client_rt_seen[v] = 1;
	client_rt_count++;
}

/*
 * A sibling queues 3000 real-time signals, each with its own value, while
 * the client keeps requesting: every one must arrive once, siginfo intact.
 */
int client_rt_flood(void)
{
	struct sigaction sa = { .sa_sigaction = client_on_rt,
				.sa_flags = SA_SIGINFO | SA_RESTART };
	pid_t me = getpid(), sender;
	struct stat st;
	int dev = client_open(&st), fails = 0, i, status;
	bool sending = true;
	int64_t deadline;
	int go[2];
	struct timespec ts;

	sigaction(SIGRTMIN, &sa, NULL);
	if (pipe(go))
		return client_fail("pipe", 0, NULL);
	sender = fork();
	if (sender == 0) {
		/* start once the requests have; EOF if the client died */
		close(go[1]);
		if (read(go[0], &status, 1) != 1)
			_exit(1);
		for (int v = 0; v < RT_SIGNALS; v++)
			while (sigqueue(me, SIGRTMIN, (union sigval){ .sival_int = v }))
				if (errno != EAGAIN)
					_exit(1);
		_exit(0);
	}
	for (i = 0; i < 5000 && (i < 20 || sending); i++) {
		if (i == 1 && write(go[1], "g", 1) != 1)
			fails += client_fail("cannot start the sender", i, NULL);
		fails += client_inject_one(dev, i, true, &st, NULL);
		if (sending && waitpid(sender, &status, WNOHANG) == sender)
			sending = false;
	}
	if (sending)
		waitpid(sender, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fails += client_fail("the sender failed", i, NULL);
	/* all are queued now; each syscall return delivers what is pending */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	deadline = ts.tv_sec + 5;
	while (client_rt_count < RT_SIGNALS && ts.tv_sec < deadline)
		clock_gettime(CLOCK_MONOTONIC, &ts), getppid();
	if (client_rt_count != RT_SIGNALS || client_rt_bad)
		fails += client_fail("real-time signals lost or damaged", i, NULL);
	printf("  %d of %d queued signals arrived during %d requests\n",
	       (int)client_rt_count, RT_SIGNALS, i);
	client_tell_count(i);
	return fails;
}

static char client_state(pid_t pid)
{
	char path[64], buf[512], *p;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return '?';
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

/*
 * A sibling stops and continues the client over and over while it
 * requests: group stops in the middle of injections must neither wedge
 * the injector nor leave the client stopped or running when it should not.
 */
int client_stop_storm(void)
{
	struct stat st;
	int dev = client_open(&st), fails = 0, i, status, quit[2];
	pid_t stopper, me = getpid();

	if (pipe(quit))
		return client_fail("pipe", 0, NULL);
	stopper = fork();
	if (stopper == 0) {
		struct pollfd pfd = { .fd = quit[0], .events = POLLIN };
		int stops = 0, seen = 0;

		close(quit[1]);
		while (poll(&pfd, 1, 0) == 0) {
			int64_t deadline = now_ms() + 20;

			kill(me, SIGSTOP);
			stops++;
			/* wait until it is really stopped (or give up soon) */
			while (now_ms() < deadline)
				if (client_state(me) == 'T') {
					seen++;
					break;
				}
			kill(me, SIGCONT);
		}
		printf("  %d SIGSTOPs, %d seen stopped\n", stops, seen);
		fflush(stdout);
		_exit(stops > 0 ? 0 : 1);
	}
	close(quit[0]);
	for (i = 0; i < 50; i++) {
		uint64_t ns;

		fails += client_inject_one(dev, i, true, &st, &ns);
		if (ns > 500000000ull) {
			printf("  request %d took %llu ms\n", i, (unsigned long long)(ns / 1000000));
			fflush(stdout);
		}
	}
	close(quit[1]);
	if (waitpid(stopper, &status, 0) != stopper || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		fails += client_fail("the stopper failed", i, NULL);
	return fails;
}

int client_traced(void)
{
	int ready[2], fails;
	struct stat st;
	int dev = client_open(&st);
	pid_t tracer;
	char c;

	if (pipe(ready))
		return client_fail("pipe", 0, NULL);
	tracer = fork();
	if (tracer == 0) {
		close(ready[0]);
		if (ptrace(PTRACE_SEIZE, getppid(), 0, 0))
			_exit(1);
		/* attached until killed: its exit detaches */
		if (write(ready[1], "s", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		return client_fail("the tracer could not seize", 0, NULL);
	fails = client_expect_error(dev, TEST_IOC_INJECT, EPERM);
	kill(tracer, SIGKILL);
	waitpid(tracer, NULL, 0);
	return fails;
}

int client_errors(void)
{
	struct stat st;
	int dev = client_open(&st);

	return client_expect_error(dev, TEST_IOC_WRONG_NODE, EPERM) +
	       client_expect_error(dev, TEST_IOC_OPEN_FAILS, EACCES) +
	       client_expect_error(dev, TEST_IOC_LONG_PATH, ENAMETOOLONG) +
	       client_fd_beyond(dev) +
	       client_inject_one(dev, 1, true, &st, NULL) + client_not_traced();
}

/*
 * The reply comes after the watchdog's time: the ioctl returns what the
 * server answered (fd -1), the caller is no longer traced, and the next
 * request is served by the injector's fresh thread.
 */
int client_watchdog(void)
{
	uint32_t cookie = (uint32_t)random();
	struct test_req r;
	struct stat st;
	int dev = client_open(&st), fails = 0;
	int expect = client_lowest_fd();
	int64_t t0 = now_ms(), took;

	client_fill(&r, cookie);
	if (ioctl(dev, TEST_IOC_LATE_REPLY, &r) != 0)
		return client_fail("late ioctl failed", 0, strerror(errno));
	took = now_ms() - t0;
	if (took < TEST_LATE_MS - 100)
		fails += client_fail("the late reply came early", 0, NULL);
	if (!client_intact(&r, cookie) || r.answer != TEST_ANSWER(cookie) || r.fd != -1)
		fails += client_fail("struct not as the server answered it", 0, r.label);
	if (client_lowest_fd() != expect)
		fails += client_fail("an fd leaked into the caller", 0, NULL);
	fails += client_not_traced();
	return fails + client_inject_one(dev, 1, true, &st, NULL) + client_not_traced();
}

/*
 * The caller stops at the end of an ioctl that returned 7, not 0: not the
 * stop the injector expects, so it must touch nothing, registers included:
 * the ioctl returns what the server answered.
 */
int client_bad_stop(void)
{
	uint32_t cookie = (uint32_t)random();
	struct test_req r;
	struct stat st;
	int dev = client_open(&st), fails = 0, rc;
	int expect = client_lowest_fd();

	client_fill(&r, cookie);
	rc = ioctl(dev, TEST_IOC_BAD_RESULT, &r);
	if (rc != TEST_BAD_RESULT) {
		fprintf(stderr, "  client: ioctl returned %d\n", rc);
		fails += client_fail("wrong result", 0, strerror(errno));
	}
	/* the server's reply (answer, fd -1) is all that reached the struct */
	if (!client_intact(&r, cookie) || r.answer != TEST_ANSWER(cookie) || r.fd != -1)
		fails += client_fail("struct not as the server answered it", 0, r.label);
	if (client_lowest_fd() != expect)
		fails += client_fail("an fd leaked into the caller", 0, NULL);
	return fails + client_not_traced();
}

/* Requests forever, one byte on tick before each, until killed. */
int client_until_killed(int tick)
{
	struct stat st;
	int dev = client_open(&st), i;

	for (i = 0;; i++) {
		if (write(tick, "r", 1) != 1)
			return 1;
		if (client_inject_one(dev, i, true, &st, NULL))
			return 1;
	}
}


/*
 * The first path to the device goes through a FUSE directory whose lookup
 * never ends: this caller stays in it (until killed), the injector must not.
 */
int client_stall(void)
{
	struct test_req r;
	struct stat st;
	int dev = client_open(&st);

	client_fill(&r, 1);
	ioctl(dev, TEST_IOC_STALL_PATH, &r);
	return 0;
}
