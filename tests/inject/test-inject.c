// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The injector against real callers, without CUSE: a tiny FUSE filesystem
 * whose one file answers an _IOWR ioctl the way the daemon answers
 * GPIO_V2_GET_LINE_IOCTL (reply fd -1, then inject), and client processes
 * that call it. Needs root and /dev/fuse.
 *
 * Processes: this driver forks the FUSE server (mount, loop, injector)
 * first and then every client, so no thread of the tracer's process ever
 * waits for a client (it would reap the tracee's ptrace stops). The server
 * sends one record per finished job back over a pipe.
 */
#include "../tally.h"
#include "test-inject.h"

char test_mnt[64];
char test_path[96];

static pid_t driver_server;
static int driver_ctl = -1;
static int driver_log = -1;

/*
 * Waits for a child to end within timeout_ms, killing it after that, and
 * reaps it. A child that cannot die (D state) or cannot be reaped (still
 * traced) is left behind after a few more seconds, so a broken injector
 * fails the test instead of hanging it.
 */
static int wait_child(pid_t pid, int timeout_ms, int *status)
{
	int pidfd = syscall(SYS_pidfd_open, pid, 0), ret = 0;
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
	int64_t deadline;

	if (pidfd < 0)
		return -errno;
	if (poll(&pfd, 1, timeout_ms) == 0) {
		kill(pid, SIGKILL);
		ret = -ETIMEDOUT;
		if (poll(&pfd, 1, 5000) == 0) {
			fprintf(stderr, "  process %d does not die\n", (int)pid);
			close(pidfd);
			return ret;
		}
	}
	close(pidfd);
	deadline = now_ms() + 5000;
	while (waitpid(pid, status, WNOHANG) == 0) {
		if (now_ms() > deadline) {
			fprintf(stderr, "  process %d cannot be reaped\n", (int)pid);
			return -ETIMEDOUT;
		}
		poll(NULL, 0, 1);
	}
	return ret;
}

/* Reads one job record; -ETIMEDOUT if none comes in timeout_ms. */
static int read_record(struct done_rec *rec, int timeout_ms)
{
	struct pollfd pfd = { .fd = driver_log, .events = POLLIN };

	if (poll(&pfd, 1, timeout_ms) <= 0)
		return -ETIMEDOUT;
	return read(driver_log, rec, sizeof(*rec)) == sizeof(*rec) ? 0 : -EIO;
}

/* count_fd: where a client that picks its number of requests writes it */
static pid_t fork_client(int (*fn)(void), int count_fd)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(driver_ctl);
		close(driver_log);
		client_count_fd = count_fd;
		_exit(fn() ? 1 : 0);
	}
	return pid;
}

static int tracer_of(const char *status_path)
{
	char line[256];
	FILE *f = fopen(status_path, "r");
	int tracer = -1;

	while (f && fgets(line, sizeof(line), f))
		sscanf(line, "TracerPid: %d", &tracer);
	if (f)
		fclose(f);
	return tracer;
}

/* Threads of any process that the server still traces. */
static int count_tracees(void)
{
	DIR *procs = opendir("/proc"), *tasks;
	struct dirent *p, *t;
	char path[600];
	int n = 0;

	while (procs && (p = readdir(procs))) {
		if (p->d_name[0] < '1' || p->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/task", p->d_name);
		tasks = opendir(path);
		while (tasks && (t = readdir(tasks))) {
			if (t->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/proc/%s/task/%s/status",
				 p->d_name, t->d_name);
			if (tracer_of(path) == driver_server) {
				fprintf(stderr, "  still traced: %s\n", path);
				n++;
			}
		}
		if (tasks)
			closedir(tasks);
	}
	if (procs)
		closedir(procs);
	return n;
}

static void report(const char *name, bool ok)
{
	tally_check(ok, "%s", name);
}

struct expect_fail {
	int err;
	const char *step;
};

/*
 * Runs one client to its end and checks the server's records: n_ok jobs
 * that injected (-1: as many as the client says) and the failures listed
 * in fails (in any order).
 */
static void scenario(const char *name, int (*fn)(void), int n_ok,
		     const struct expect_fail *fails, int n_fails)
{
	bool pass = true, seen[8] = { false };
	int status, ok = 0, i, j, count[2];
	struct done_rec rec;
	pid_t pid;

	if (pipe2(count, O_NONBLOCK)) {
		report(name, false);
		return;
	}
	pid = fork_client(fn, count[1]);
	close(count[1]);
	/*
	 * Generous: under the SIGSTOP/SIGCONT storm (10,000 signals a second)
	 * a request now and then takes a second instead of milliseconds.
	 */
	if (wait_child(pid, 90000, &status)) {
		fprintf(stderr, "  %s: client timed out\n", name);
		pass = false;
	} else if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "  %s: client reported failures\n", name);
		pass = false;
	}
	/* non-blocking: a client stuck in D state still holds the pipe */
	if (n_ok < 0 && read(count[0], &n_ok, sizeof(n_ok)) != sizeof(n_ok))
		n_ok = 0;
	close(count[0]);
	for (i = 0; i < n_ok + n_fails; i++) {
		if (read_record(&rec, 10000)) {
			fprintf(stderr, "  %s: only %d of %d jobs finished\n",
				name, i, n_ok + n_fails);
			pass = false;
			break;
		}
		if (rec.err == 0 && rec.fd >= 0) {
			ok++;
			continue;
		}
		for (j = 0; j < n_fails; j++)
			if (!seen[j] && rec.err == fails[j].err &&
			    !strcmp(rec.step, fails[j].step))
				break;
		if (j < n_fails) {
			seen[j] = true;
			continue;
		}
		fprintf(stderr, "  %s: unexpected: %s at \"%s\"\n", name,
			strerror(-rec.err), rec.step);
		pass = false;
	}
	if (ok != n_ok) {
		fprintf(stderr, "  %s: %d of %d injected\n", name, ok, n_ok);
		pass = false;
	}
	if (count_tracees())
		pass = false;
	report(name, pass);
}

/*
 * Kills a requesting client at varying points: while it waits in the
 * ioctl, and while the injector has it stopped. Whatever the point, the
 * client must die promptly, nothing may stay traced, and every job must
 * end injected or with ESRCH.
 */
static void scenario_killed(void)
{
	const char *env = getenv("TEST_INJECT_KILL_ROUNDS");
	int rounds = env ? atoi(env) : 40, stopped_kills = 0, bad = 0, r, status;
	struct done_rec rec;

	for (r = 0; r < rounds; r++) {
		int tick[2], state_fd;
		char path[64], buf[256], *p, c;
		int64_t deadline;
		pid_t pid;

		if (pipe(tick))
			break;
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			close(driver_ctl);
			close(driver_log);
			close(tick[0]);
			_exit(client_until_killed(tick[1]));
		}
		close(tick[1]);
		/* let a few requests pass, then aim at the next one */
		for (int i = 0; i < 1 + r % 4; i++) {
			struct pollfd pfd = { .fd = tick[0], .events = POLLIN };

			if (poll(&pfd, 1, 10000) != 1 || read(tick[0], &c, 1) != 1)
				break;
		}
		if (r % 2) {
			/* kill as soon as the injector has it in a ptrace stop */
			snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
			deadline = now_ms() + 2000;
			while (now_ms() < deadline) {
				state_fd = open(path, O_RDONLY);
				ssize_t n = state_fd < 0 ? -1 :
					    read(state_fd, buf, sizeof(buf) - 1);
				if (state_fd >= 0)
					close(state_fd);
				if (n <= 0)
					break;
				buf[n] = '\0';
				p = strrchr(buf, ')');
				if (p && p[1] == ' ' && p[2] == 't') {
					stopped_kills++;
					break;
				}
			}
		}
		kill(pid, SIGKILL);
		close(tick[0]);
		if (wait_child(pid, 10000, &status) || !WIFSIGNALED(status)) {
			fprintf(stderr, "  killed client %d did not die of SIGKILL\n",
				(int)pid);
			bad++;
			break;
		}
	}

	/* the injector keeps working: the next client's record ends the list */
	pid_t next = fork_client(client_one, -1);
	if (wait_child(next, 30000, &status) || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		fprintf(stderr, "  the client after the kills failed\n");
		bad++;
	}
	for (;;) {
		if (read_record(&rec, 10000)) {
			fprintf(stderr, "  no record for the client after the kills\n");
			bad++;
			break;
		}
		if (rec.tid == next) {
			bad += rec.err != 0;
			break;
		}
		if (rec.err && rec.err != -ESRCH) {
			fprintf(stderr, "  job of a killed client: %s at \"%s\"\n",
				strerror(-rec.err), rec.step);
			bad++;
		}
	}
	bad += count_tracees();
	printf("  %d of %d kills hit the client in a ptrace stop\n",
	       stopped_kills, rounds);
	report("clients killed mid-request leave nothing traced", bad == 0);
}

/*
 * A caller whose path to the device goes through a stalling FUSE mount: the
 * injector never looks the path up itself, the caller does, under the
 * watchdog. The job ends at the watchdog with the caller stuck in its
 * lookup, and the next client is served at once.
 */
static void scenario_stall(void)
{
	struct done_rec rec;
	pid_t stuck, next;
	int status, bad = 0;

	stuck = fork_client(client_stall, -1);
	if (read_record(&rec, 15000)) {
		fprintf(stderr, "  no record in 15 s: the injector is wedged\n");
		bad++;
	} else if (rec.tid != stuck || rec.err != -ETIMEDOUT || strcmp(rec.step, "watchdog")) {
		fprintf(stderr, "  stalled job: %s at \"%s\"\n", strerror(-rec.err), rec.step);
		bad++;
	}
	next = fork_client(client_one, -1);
	if (wait_child(next, 30000, &status) || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "  the client after the stalled one failed\n");
		bad++;
	}
	if (read_record(&rec, 10000) || rec.tid != next || rec.err) {
		fprintf(stderr, "  no good record for the client after the stalled one\n");
		bad++;
	}
	/* a task in a FUSE request the server has read waits for its answer, killed or not */
	if (write(driver_ctl, "u", 1) != 1)
		bad++;
	kill(stuck, SIGKILL);
	if (wait_child(stuck, 10000, &status))
		bad++;
	bad += count_tracees();
	report("a path through a stalling FUSE mount does not wedge the injector", bad == 0);
}

static int start_server(void)
{
	int ctl[2], log[2];
	struct done_rec rec;

	if (pipe2(ctl, O_CLOEXEC) || pipe2(log, O_CLOEXEC))
		return -errno;
	driver_server = fork();
	if (driver_server == 0) {
		close(ctl[1]);
		close(log[0]);
		_exit(server_main(ctl[0], log[1]));
	}
	close(ctl[0]);
	close(log[1]);
	driver_ctl = ctl[1];
	driver_log = log[0];
	if (read_record(&rec, 10000) || strcmp(rec.step, "ready"))
		return -EIO;
	return 0;
}

static bool stop_server(void)
{
	int status;

	close(driver_ctl);
	if (wait_child(driver_server, 10000, &status)) {
		umount2(test_mnt, MNT_DETACH);
		return false;
	}
	if (WIFSIGNALED(status))
		fprintf(stderr, "  server killed by signal %d\n", WTERMSIG(status));
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int main(void)
{
	struct stat st;
	int err;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (geteuid() != 0 || access("/dev/fuse", R_OK | W_OK)) {
		fprintf(stderr, "test-inject: needs root and /dev/fuse\n");
		return 77;
	}
	/* a mount namespace of our own: the mount dies with the test */
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		perror("test-inject: private mount namespace");
		return 1;
	}
	snprintf(test_mnt, sizeof(test_mnt), "/tmp/vgc-inject-XXXXXX");
	if (!mkdtemp(test_mnt)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(test_path, sizeof(test_path), "%s/dev", test_mnt);
	srandom(getpid());

	err = start_server();
	if (err || stat(test_path, &st)) {
		fprintf(stderr, "test-inject: cannot serve %s (%s)\n", test_path,
			strerror(err ? -err : errno));
		if (driver_server > 0)
			stop_server();
		rmdir(test_mnt);
		return 1;
	}

	static const struct expect_fail traced[] = { { -EPERM, "seize" } };
	static const struct expect_fail errors[] = {
		{ -EPERM, "check node" }, { -EACCES, "openat" },
		{ -ENAMETOOLONG, "check node" }, { -EIO, "write fd" },
	};

	scenario("one request", client_one, 1, NULL, 0);
	scenario("200 requests in a row", client_in_a_row, 200, NULL, 0);
	scenario("8 threads x 50 requests", client_threads, 400, NULL, 0);
	scenario("requests under a 100 us SIGALRM storm", client_alarm_storm,
		 -1, NULL, 0);
	scenario("3000 queued real-time signals during requests",
		 client_rt_flood, -1, NULL, 0);
	scenario("50 requests under a SIGSTOP/SIGCONT storm", client_stop_storm,
		 50, NULL, 0);
	scenario("an already traced client gets EPERM", client_traced, 0,
		 traced, 1);
	scenario("wrong node, failing open, long path", client_errors, 1,
		 errors, 4);
	static const struct expect_fail watchdog[] = { { -ETIMEDOUT, "watchdog" } };
	static const struct expect_fail bad_stop[] = { { -EPROTO, "verify stop" } };

	scenario("a caller that does not stop in time is let go (watchdog)",
		 client_watchdog, 1, watchdog, 1);
	scenario("a stop that is not our ioctl's success is not written to",
		 client_bad_stop, 0, bad_stop, 1);
	scenario_killed();
	/* last: on an injector that resolves paths itself, it wedges the rest */
	scenario_stall();

	report("server shuts down cleanly", stop_server());
	rmdir(test_mnt);
	return tally_end("test-inject");
}
