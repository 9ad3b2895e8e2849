/* sorter.c - bounded-memory external sort of index entries. */
#include "bd/sorter.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_RUNS 4096
#define RUN_BUF ((size_t)1 << 20)

typedef struct run {
	/* memory run: entries at arena offsets idx[pos..end) */
	const uint8_t *arena;
	const uint64_t *idx;
	size_t pos, end;
	/* file run */
	FILE *f;
	uint8_t *cur;       /* current entry (file runs) */
	size_t curcap;
	const uint8_t *head; /* current entry, either kind */
} run;

struct bd_sorter {
	size_t budget;
	int threads;
	char tmpdir[512];
	uint8_t *arena;
	size_t alen, acap;
	uint64_t *idx;   /* entry offsets into arena */
	size_t n, icap;
	uint64_t count;
	FILE *files[MAX_RUNS];
	unsigned nfiles;
	unsigned spills;
	run runs[MAX_RUNS];
	unsigned nruns;
	unsigned heap[MAX_RUNS];
	unsigned nheap;
	uint8_t last[BD_ENTRY_HEAD + 65536];
	size_t lastlen;
	bool have_last;
	bool finished;
};

static int entry_cmp(const uint8_t *a, const uint8_t *b)
{
	int c = memcmp(a, b, 33);
	if (c)
		return c;
	size_t la = bd_entry_size(a) - BD_ENTRY_HEAD, lb = bd_entry_size(b) - BD_ENTRY_HEAD;
	c = memcmp(a + BD_ENTRY_HEAD, b + BD_ENTRY_HEAD, la < lb ? la : lb);
	if (c)
		return c;
	return la < lb ? -1 : la > lb;
}

static int idx_cmp(const void *x, const void *y, void *arena)
{
	const uint8_t *a = (const uint8_t *)arena + *(const uint64_t *)x;
	const uint8_t *b = (const uint8_t *)arena + *(const uint64_t *)y;
	return entry_cmp(a, b);
}

bd_err bd_sorter_new(size_t mem_budget, int threads, const char *tmpdir, bd_sorter **out)
{
	bd_sorter *s = calloc(1, sizeof(*s));
	if (!s)
		return bd_fail(BD_ERR_NOMEM, "out of memory");
	s->budget = mem_budget < ((size_t)1 << 16) ? ((size_t)1 << 16) : mem_budget;
	s->threads = threads < 1 ? 1 : threads;
	const char *t = tmpdir ? tmpdir : getenv("TMPDIR");
	snprintf(s->tmpdir, sizeof(s->tmpdir), "%s", t && *t ? t : "/tmp");
	*out = s;
	return BD_OK;
}

uint64_t bd_sorter_count(const bd_sorter *s) { return s->count; }
unsigned bd_sorter_spills(const bd_sorter *s) { return s->spills; }

typedef struct sort_job {
	uint64_t *idx;
	size_t n;
	uint8_t *arena;
} sort_job;

static void *sort_thread(void *arg)
{
	sort_job *j = arg;
	qsort_r(j->idx, j->n, sizeof(uint64_t), idx_cmp, j->arena);
	return NULL;
}

/* Sorts idx[0..n) in nparts contiguous parts, in parallel. */
static unsigned sort_parts(bd_sorter *s, size_t bounds[], unsigned maxparts)
{
	unsigned parts = (unsigned)s->threads;
	if (parts > maxparts)
		parts = maxparts;
	if (s->n < 4096 || parts < 1)
		parts = 1;
	sort_job jobs[64];
	pthread_t th[64];
	bool started[64] = { false };
	for (unsigned i = 0; i <= parts; i++)
		bounds[i] = s->n * i / parts;
	for (unsigned i = 0; i < parts; i++) {
		jobs[i] = (sort_job){ s->idx + bounds[i], bounds[i + 1] - bounds[i], s->arena };
		if (i > 0 && pthread_create(&th[i], NULL, sort_thread, &jobs[i]) == 0)
			started[i] = true;
	}
	sort_thread(&jobs[0]);
	for (unsigned i = 1; i < parts; i++) {
		if (started[i])
			pthread_join(th[i], NULL);
		else
			sort_thread(&jobs[i]);
	}
	return parts;
}

static bd_err spill(bd_sorter *s)
{
	if (s->n == 0)
		return BD_OK;
	size_t bounds[65];
	unsigned parts = sort_parts(s, bounds, 64);
	for (unsigned p = 0; p < parts; p++) {
		if (s->nfiles >= MAX_RUNS)
			return bd_fail(BD_ERR_LIMIT, "排序临时文件过多 (too many runs): 请增大内存预算");
		char path[600];
		snprintf(path, sizeof(path), "%s/bidui-run-XXXXXX", s->tmpdir);
		int fd = mkstemp(path);
		if (fd < 0)
			return bd_fail(BD_ERR_IO, "无法在 %s 创建临时文件: %s", s->tmpdir, strerror(errno));
		unlink(path); /* deleted on close, even after a crash */
		FILE *f = fdopen(fd, "w+b");
		if (!f)
			return bd_fail(BD_ERR_IO, "临时文件: %s", strerror(errno));
		setvbuf(f, NULL, _IOFBF, RUN_BUF);
		for (size_t i = bounds[p]; i < bounds[p + 1]; i++) {
			const uint8_t *e = s->arena + s->idx[i];
			if (fwrite(e, 1, bd_entry_size(e), f) != bd_entry_size(e)) {
				fclose(f);
				return bd_fail(BD_ERR_IO, "写临时文件失败 (disk full?): %s", strerror(errno));
			}
		}
		if (fflush(f) != 0) {
			fclose(f);
			return bd_fail(BD_ERR_IO, "写临时文件失败 (disk full?): %s", strerror(errno));
		}
		s->files[s->nfiles++] = f;
	}
	s->spills++;
	s->alen = 0;
	s->n = 0;
	return BD_OK;
}

bd_err bd_sorter_add(bd_sorter *s, const uint8_t *entries, size_t len)
{
	if (s->finished)
		return bd_fail(BD_ERR_INTERNAL, "sorter: add after finish");
	if (s->alen + len > s->budget && s->alen > 0) {
		bd_err e = spill(s);
		if (e)
			return e;
	}
	if (s->alen + len > s->acap) {
		size_t cap = s->acap ? s->acap : ((size_t)1 << 20);
		while (cap < s->alen + len)
			cap *= 2;
		uint8_t *a = realloc(s->arena, cap);
		if (!a)
			return bd_fail(BD_ERR_NOMEM, "out of memory (sorter)");
		s->arena = a;
		s->acap = cap;
	}
	memcpy(s->arena + s->alen, entries, len);
	size_t off = 0;
	while (off < len) {
		if (len - off < BD_ENTRY_HEAD || bd_entry_size(entries + off) > len - off)
			return bd_fail(BD_ERR_INTERNAL, "sorter: truncated entry");
		if (s->n == s->icap) {
			size_t cap = s->icap ? s->icap * 2 : 65536;
			uint64_t *ni = realloc(s->idx, cap * sizeof(*ni));
			if (!ni)
				return bd_fail(BD_ERR_NOMEM, "out of memory (sorter)");
			s->idx = ni;
			s->icap = cap;
		}
		s->idx[s->n++] = s->alen + off;
		off += bd_entry_size(entries + off);
		s->count++;
	}
	s->alen += len;
	return BD_OK;
}

/* Loads the next entry of run r into r->head; false at its end. */
static bd_err run_advance(bd_sorter *s, run *r, bool *more)
{
	(void)s;
	if (!r->f) {
		if (r->pos >= r->end) {
			*more = false;
			return BD_OK;
		}
		r->head = r->arena + r->idx[r->pos++];
		*more = true;
		return BD_OK;
	}
	uint8_t head[BD_ENTRY_HEAD];
	size_t got = fread(head, 1, BD_ENTRY_HEAD, r->f);
	if (got == 0 && feof(r->f)) {
		*more = false;
		return BD_OK;
	}
	if (got != BD_ENTRY_HEAD)
		return bd_fail(BD_ERR_IO, "读临时文件失败 (run truncated)");
	size_t n = bd_entry_size(head);
	if (n > r->curcap) {
		uint8_t *c = realloc(r->cur, n);
		if (!c)
			return bd_fail(BD_ERR_NOMEM, "out of memory (sorter)");
		r->cur = c;
		r->curcap = n;
	}
	memcpy(r->cur, head, BD_ENTRY_HEAD);
	if (fread(r->cur + BD_ENTRY_HEAD, 1, n - BD_ENTRY_HEAD, r->f) != n - BD_ENTRY_HEAD)
		return bd_fail(BD_ERR_IO, "读临时文件失败 (run truncated)");
	r->head = r->cur;
	*more = true;
	return BD_OK;
}

static bool heap_less(bd_sorter *s, unsigned a, unsigned b)
{
	int c = entry_cmp(s->runs[a].head, s->runs[b].head);
	return c < 0 || (c == 0 && a < b);
}

static void heap_down(bd_sorter *s, unsigned i)
{
	for (;;) {
		unsigned l = 2 * i + 1, r = l + 1, m = i;
		if (l < s->nheap && heap_less(s, s->heap[l], s->heap[m]))
			m = l;
		if (r < s->nheap && heap_less(s, s->heap[r], s->heap[m]))
			m = r;
		if (m == i)
			return;
		unsigned t = s->heap[i];
		s->heap[i] = s->heap[m];
		s->heap[m] = t;
		i = m;
	}
}

bd_err bd_sorter_finish(bd_sorter *s)
{
	if (s->finished)
		return BD_OK;
	s->finished = true;
	size_t bounds[65];
	unsigned parts = s->n ? sort_parts(s, bounds, 64) : 0;
	for (unsigned i = 0; i < s->nfiles; i++) {
		if (fseek(s->files[i], 0, SEEK_SET) != 0)
			return bd_fail(BD_ERR_IO, "临时文件: %s", strerror(errno));
		run *r = &s->runs[s->nruns++];
		memset(r, 0, sizeof(*r));
		r->f = s->files[i];
	}
	for (unsigned p = 0; p < parts; p++) {
		run *r = &s->runs[s->nruns++];
		memset(r, 0, sizeof(*r));
		r->arena = s->arena;
		r->idx = s->idx;
		r->pos = bounds[p];
		r->end = bounds[p + 1];
	}
	for (unsigned i = 0; i < s->nruns; i++) {
		bool more;
		bd_err e = run_advance(s, &s->runs[i], &more);
		if (e)
			return e;
		if (more)
			s->heap[s->nheap++] = i;
	}
	for (unsigned i = s->nheap / 2; i-- > 0;)
		heap_down(s, i);
	return BD_OK;
}

bd_err bd_sorter_next(bd_sorter *s, const uint8_t **entry, bool *eof)
{
	if (!s->finished)
		return bd_fail(BD_ERR_INTERNAL, "sorter: next before finish");
	for (;;) {
		if (s->nheap == 0) {
			*eof = true;
			return BD_OK;
		}
		unsigned top = s->heap[0];
		run *r = &s->runs[top];
		size_t n = bd_entry_size(r->head);
		bool dup = s->have_last && n == s->lastlen && !memcmp(s->last, r->head, n);
		if (!dup) {
			memcpy(s->last, r->head, n);
			s->lastlen = n;
			s->have_last = true;
		}
		bool more;
		bd_err e = run_advance(s, r, &more);
		if (e)
			return e;
		if (!more)
			s->heap[0] = s->heap[--s->nheap];
		if (s->nheap)
			heap_down(s, 0);
		if (!dup) {
			*entry = s->last;
			*eof = false;
			return BD_OK;
		}
	}
}

void bd_sorter_free(bd_sorter *s)
{
	if (!s)
		return;
	for (unsigned i = 0; i < s->nfiles; i++)
		fclose(s->files[i]);
	for (unsigned i = 0; i < s->nruns; i++)
		free(s->runs[i].cur);
	free(s->arena);
	free(s->idx);
	free(s);
}
