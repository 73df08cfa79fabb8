// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The injector test's FUSE server: one file, "dev", whose ioctls answer
 * the way the daemon answers GPIO_V2_GET_LINE_IOCTL (reply with fd -1,
 * then inject). One record per finished job goes back to the driver.
 */
#include "test-inject.h"
#include "../../inject/inject.h"

static struct vgc_injector *server_inj;
static int server_log_fd = -1;
static atomic_int server_fail_open_tid;

struct server_call {
	fuse_req_t req;
	unsigned int cmd;
	struct test_req reply;
	atomic_bool bound;
};

/*
 * The job whose caller is in its injected openat (one at a time: one
 * injector thread). An open of the file by that caller binds to it, as the
 * daemon's front end binds its fd to the line request; TEST_IOC_WRONG_NODE
 * stands for a device that is not ours and never binds.
 */
static _Atomic(struct server_call *) server_opening;

static bool server_opening_cb(void *ctx, bool on)
{
	struct server_call *call = ctx;

	atomic_store(&server_opening, on ? call : NULL);
	return !on && atomic_load(&call->bound);
}

/* Lookups of "stall" are never answered until the server ends. */
static pthread_mutex_t server_stall_lock = PTHREAD_MUTEX_INITIALIZER;
static fuse_req_t server_stalled[64];
static unsigned int server_num_stalled;

/* A reply held back TEST_LATE_MS: the delay is the stimulus under test. */
static void *server_late(void *data)
{
	struct server_call *late = data;
	struct timespec ts = { TEST_LATE_MS / 1000, TEST_LATE_MS % 1000 * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	fuse_reply_ioctl(late->req, 0, &late->reply, sizeof(late->reply));
	free(late);
	return NULL;
}

static void server_reply(void *ctx, int err)
{
	struct server_call *call = ctx, *late;
	pthread_t thread;

	if (err) {
		fuse_reply_err(call->req, -err);
	} else if (call->cmd == TEST_IOC_LATE_REPLY) {
		/* the injector frees call when it gives up: the thread has a copy */
		late = malloc(sizeof(*late));
		if (late)
			*late = *call;
		if (!late || pthread_create(&thread, NULL, server_late, late)) {
			fprintf(stderr, "server: cannot hold back a reply\n");
			exit(1);
		}
		pthread_detach(thread);
	} else {
		fuse_reply_ioctl(call->req,
				 call->cmd == TEST_IOC_BAD_RESULT ? TEST_BAD_RESULT : 0,
				 &call->reply, sizeof(call->reply));
	}
}

/*
 * Records go out through a list and a writer thread of their own: the
 * injector thread must never wait for the driver to read the pipe.
 */
struct server_rec {
	struct server_rec *next;
	struct done_rec rec;
};

static pthread_mutex_t server_recs_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t server_recs_wake = PTHREAD_COND_INITIALIZER;
static struct server_rec *server_recs, **server_recs_tail = &server_recs;
static bool server_recs_end;

static void server_done(void *ctx, int fd, int err, enum vgc_inject_step step)
{
	struct server_call *call = ctx;
	struct server_rec *r = calloc(1, sizeof(*r));

	if (!r) {
		fprintf(stderr, "server: out of memory\n");
		exit(1);
	}
	r->rec.tid = call->reply.pad;
	r->rec.fd = fd;
	r->rec.err = err;
	snprintf(r->rec.step, sizeof(r->rec.step), "%s", step ? vgc_inject_step_name(step) : "");
	free(call);
	pthread_mutex_lock(&server_recs_lock);
	*server_recs_tail = r;
	server_recs_tail = &r->next;
	pthread_cond_signal(&server_recs_wake);
	pthread_mutex_unlock(&server_recs_lock);
}

static void *server_writer(void *data)
{
	struct server_rec *r;

	(void)data;
	for (;;) {
		pthread_mutex_lock(&server_recs_lock);
		while (!server_recs && !server_recs_end)
			pthread_cond_wait(&server_recs_wake, &server_recs_lock);
		r = server_recs;
		if (r) {
			server_recs = r->next;
			if (!server_recs)
				server_recs_tail = &server_recs;
		}
		pthread_mutex_unlock(&server_recs_lock);
		if (!r)
			return NULL;
		if (write(server_log_fd, &r->rec, sizeof(r->rec)) !=
		    sizeof(r->rec))
			fprintf(stderr, "server: cannot report a finished job\n");
		free(r);
	}
}

static void server_stat(fuse_ino_t ino, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_mode = ino == FUSE_ROOT_ID ? S_IFDIR | 0755 : S_IFREG | 0644;
	st->st_nlink = 1;
}

static void server_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct fuse_entry_param e = { .ino = TEST_FILE_INO,
				      .attr_timeout = 60, .entry_timeout = 60 };

	if (parent == FUSE_ROOT_ID && !strcmp(name, "stall")) {
		pthread_mutex_lock(&server_stall_lock);
		if (server_num_stalled < sizeof(server_stalled) / sizeof(server_stalled[0])) {
			server_stalled[server_num_stalled++] = req;
			req = NULL;
		}
		pthread_mutex_unlock(&server_stall_lock);
		if (req)
			fuse_reply_err(req, ENOENT);
		return;
	}
	if (parent != FUSE_ROOT_ID || strcmp(name, "dev")) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	server_stat(TEST_FILE_INO, &e.attr);
	fuse_reply_entry(req, &e);
}

static void server_getattr(fuse_req_t req, fuse_ino_t ino,
			   struct fuse_file_info *fi)
{
	struct stat st;

	(void)fi;
	server_stat(ino, &st);
	fuse_reply_attr(req, &st, 60);
}

static void server_open(fuse_req_t req, fuse_ino_t ino,
			struct fuse_file_info *fi)
{
	int tid = fuse_req_ctx(req)->pid, fail_tid = tid;
	struct server_call *call = atomic_load(&server_opening);

	(void)ino;
	if (atomic_compare_exchange_strong(&server_fail_open_tid, &fail_tid, 0)) {
		fuse_reply_err(req, EACCES);
		return;
	}
	if (call && call->reply.pad == tid && call->cmd != TEST_IOC_WRONG_NODE)
		atomic_store(&call->bound, true);
	fuse_reply_open(req, fi);
}

static void server_ioctl(fuse_req_t req, fuse_ino_t ino, unsigned int cmd,
			 void *arg, struct fuse_file_info *fi, unsigned flags,
			 const void *in_buf, size_t in_bufsz, size_t out_bufsz)
{
	struct vgc_inject_job job = {
		.tid = fuse_req_ctx(req)->pid,
		.arg = (uintptr_t)arg,
		.arg_size = sizeof(struct test_req),
		.fd_offset = offsetof(struct test_req, fd),
		.reply = server_reply,
		.done = server_done,
		.opening = server_opening_cb,
	};
	struct server_call *call;
	int err;

	(void)ino, (void)fi, (void)flags;
	if (in_bufsz != sizeof(struct test_req) ||
	    out_bufsz != sizeof(struct test_req)) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	call = calloc(1, sizeof(*call));
	if (!call) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	call->req = req;
	call->cmd = cmd;
	job.ctx = call;
	memcpy(&call->reply, in_buf, sizeof(call->reply));
	call->reply.answer = TEST_ANSWER(call->reply.cookie);
	call->reply.fd = -1;
	/* pad carries the tid back to server_done; the client ignores it */
	call->reply.pad = job.tid;
	/* the first path is no node at all: the injector must take the next */
	static const char *const paths[] = { "/nonexistent-vgc-node", test_path };
	static char long_path[sizeof(test_path) + sizeof(struct test_req)];
	static const char *const long_paths[] = { long_path };
	/* the device by another spelling, so no path learnt before comes first */
	static char stall_path[sizeof(test_mnt) + 16], other_path[sizeof(test_mnt) + 16];
	static const char *const stall_paths[] = { stall_path, other_path };

	job.paths = paths;
	job.num_paths = 2;

	switch (cmd) {
	case TEST_IOC_PLAIN:
		fuse_reply_ioctl(req, 0, &call->reply, sizeof(call->reply));
		free(call);
		return;
	case TEST_IOC_INJECT:
	case TEST_IOC_LATE_REPLY:
	case TEST_IOC_BAD_RESULT:
		break;
	case TEST_IOC_WRONG_NODE:
		break;
	case TEST_IOC_STALL_PATH:
		snprintf(stall_path, sizeof(stall_path), "%s/stall/dev", test_mnt);
		snprintf(other_path, sizeof(other_path), "%s/./dev", test_mnt);
		job.paths = stall_paths;
		break;
	case TEST_IOC_OPEN_FAILS:
		atomic_store(&server_fail_open_tid, job.tid);
		break;
	case TEST_IOC_FD_BEYOND:
		job.arg_size = 2 * 4096;
		job.fd_offset = TEST_FD_BEYOND;
		break;
	case TEST_IOC_LONG_PATH:
		/* the device, by a path longer than the argument buffer */
		snprintf(long_path, sizeof(long_path), "%s%*s", test_mnt,
			 (int)sizeof(struct test_req), "/dev");
		for (char *c = long_path; *c; c++)
			if (*c == ' ')
				*c = '/';
		job.paths = long_paths;
		job.num_paths = 1;
		break;
	default:
		fuse_reply_err(req, ENOTTY);
		free(call);
		return;
	}
	err = vgc_inject_submit(server_inj, &job);
	if (err) {
		fuse_reply_err(req, -err);
		free(call);
	}
}

static const struct fuse_lowlevel_ops server_ops = {
	.lookup = server_lookup,
	.getattr = server_getattr,
	.open = server_open,
	.ioctl = server_ioctl,
};

static void *server_loop(void *data)
{
	struct fuse_loop_config *config = fuse_loop_cfg_create();

	fuse_session_loop_mt(data, config);
	fuse_loop_cfg_destroy(config);
	return NULL;
}

/* Answers the lookups held so far (ENOENT): their callers, stuck, go on. */
static void server_unstall(void)
{
	pthread_mutex_lock(&server_stall_lock);
	while (server_num_stalled)
		fuse_reply_err(server_stalled[--server_num_stalled], ENOENT);
	pthread_mutex_unlock(&server_stall_lock);
}

/* Runs until ctl_fd reads EOF; each byte before it ends the stalled lookups. */
int server_main(int ctl_fd, int log_fd)
{
	char *argv[] = { "test-inject", NULL };
	struct fuse_args args = FUSE_ARGS_INIT(1, argv);
	struct done_rec ready = { .step = "ready" };
	struct fuse_session *se;
	pthread_t loop, writer;
	char c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	server_log_fd = log_fd;
	if (pthread_create(&writer, NULL, server_writer, NULL)) {
		fprintf(stderr, "server: cannot start the record writer\n");
		return 1;
	}
	server_inj = vgc_inject_start();
	if (!server_inj) {
		perror("server: vgc_inject_start");
		return 1;
	}
	se = fuse_session_new(&args, &server_ops, sizeof(server_ops), NULL);
	if (!se || fuse_session_mount(se, test_mnt) < 0) {
		fprintf(stderr, "server: cannot mount FUSE on %s\n", test_mnt);
		return 1;
	}
	if (pthread_create(&loop, NULL, server_loop, se)) {
		fprintf(stderr, "server: cannot start the FUSE loop\n");
		return 1;
	}
	if (write(log_fd, &ready, sizeof(ready)) != sizeof(ready))
		return 1;
	/* a byte: end the stalled lookups now; EOF: end */
	do
		server_unstall();
	while (read(ctl_fd, &c, 1) > 0);
	fuse_session_exit(se);
	fuse_session_unmount(se);
	pthread_join(loop, NULL);
	vgc_inject_stop(server_inj);
	fuse_session_destroy(se);
	pthread_mutex_lock(&server_recs_lock);
	server_recs_end = true;
	pthread_cond_signal(&server_recs_wake);
	pthread_mutex_unlock(&server_recs_lock);
	pthread_join(writer, NULL);
	return 0;
}

