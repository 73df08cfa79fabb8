// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which of the daemon's paths to the device a caller tries, in which order:
 * read from the kernel alone (the caller's nsfs link), never looked up in
 * the caller's tree. The caller's own openat is what proves a path.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* The mount namespace a /proc/.../ns/mnt link names; 0 if unreadable. */
static uint64_t inject_mnt_ns(const char *link)
{
	unsigned long long ino;
	char buf[64];
	ssize_t n;

	/* nsfs: answered by the kernel alone, nothing the caller mounts */
	n = readlink(link, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return sscanf(buf, "mnt:[%llu]", &ino) == 1 ? ino : 0;
}

static const char *known_path(const struct inject_known *known, uint64_t mnt_ns)
{
	if (!mnt_ns)
		return NULL;
	for (unsigned int i = 0; i < INJECT_KNOWN_MAX; i++)
		if (known->ns[i].mnt_ns == mnt_ns)
			return known->ns[i].path;
	return NULL;
}

void inject_known_learn(struct inject_known *known, uint64_t mnt_ns, const char *path)
{
	unsigned int i;

	if (!mnt_ns || strlen(path) >= INJECT_KNOWN_PATH)
		return;
	for (i = 0; i < INJECT_KNOWN_MAX; i++)
		if (known->ns[i].mnt_ns == mnt_ns)
			break;
	if (i == INJECT_KNOWN_MAX) {
		i = known->next;
		known->next = (known->next + 1) % INJECT_KNOWN_MAX;
	}
	known->ns[i].mnt_ns = mnt_ns;
	snprintf(known->ns[i].path, sizeof(known->ns[i].path), "%s", path);
}

/* Appends path to the n candidates unless it is there already. */
static void cands_add(const char **cands, unsigned int *n, const char *path)
{
	for (unsigned int i = 0; i < *n; i++)
		if (!strcmp(cands[i], path))
			return;
	cands[(*n)++] = path;
}

static bool job_offers(const struct vgc_inject_job *job, const char *path)
{
	if (job->own_path && !strcmp(job->own_path, path))
		return true;
	for (unsigned int i = 0; i < job->num_paths; i++)
		if (!strcmp(job->paths[i], path))
			return true;
	return false;
}

/*
 * The paths to try, in order (see struct vgc_inject_job): what bound for
 * this mount namespace before, own_path for our own namespace, the list.
 * Reading the caller's namespace costs no lookup in its tree.
 */
unsigned int inject_candidates(pid_t tid, const struct vgc_inject_job *job,
			       struct inject_known *known, const char **cands, uint64_t *mnt_ns)
{
	unsigned int n = 0;
	const char *before;
	char link[64];

	snprintf(link, sizeof(link), "/proc/%d/ns/mnt", (int)tid);
	*mnt_ns = inject_mnt_ns(link);
	if (!known->own_mnt_ns)
		known->own_mnt_ns = inject_mnt_ns("/proc/self/ns/mnt");
	before = known_path(known, *mnt_ns);
	if (before && job_offers(job, before))
		cands_add(cands, &n, before);
	if (job->own_path && *mnt_ns && *mnt_ns == known->own_mnt_ns)
		cands_add(cands, &n, job->own_path);
	for (unsigned int i = 0; i < job->num_paths; i++)
		cands_add(cands, &n, job->paths[i]);
	return n;
}
