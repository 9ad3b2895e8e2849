/* sorter.c - bounded-memory external sort of index entries. */
#include "bd/sorter.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_RUNS 4096
#define SLACK ((size_t)64 << 20)  /* room for one batch beyond the budget */
#define RUN_BUF ((size_t)1 << 20)

/* Sort item: the first 8 bytes of (tag, key) as a big-endian number, and
 * the entry's offset in the arena. Ties on the prefix (duplicate keys) are
 * settled by comparing whole entries. */
typedef struct item {
	uint64_t prefix;
	uint64_t off;
} item;

typedef struct run {
	/* memory run: entries at items[pos..end) */
	const uint8_t *arena;
	const item *items;
	size_t pos, end;
	/* file run: two buffers, so the entry returned last stays valid while
	 * the next one is read */
	FILE *f;
	uint8_t *buf[2];
	size_t bufcap[2];
	int which;
	const uint8_t *head; /* current entry, either kind */
} run;

struct bd_sorter {
	size_t budget;
	int threads;
	char tmpdir[512];
	uint8_t *arena;
	size_t alen, acap;
	item *items;     /* one per entry in the arena */
	size_t n, icap;
	uint64_t count;
	uint64_t bytes;
	FILE *files[MAX_RUNS];
	unsigned nfiles;
	unsigned spills;
	run runs[MAX_RUNS];
	unsigned nruns;
	unsigned heap[MAX_RUNS];
	unsigned nheap;
	const uint8_t *last;   /* entry returned last (valid until next call) */
	int pending;           /* run to advance on the next call, or -1 */
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

static uint64_t entry_prefix(const uint8_t *e)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | e[i];
	return v;
}

/* Order of two items: prefix, then the whole entries. */
static int item_cmp(const item *x, const item *y, const uint8_t *arena)
{
	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	return entry_cmp(arena + x->off, arena + y->off);
}

static void insertion_sort(item *a, size_t n, const uint8_t *arena)
{
	for (size_t k = 1; k < n; k++) {
		item x = a[k];
		size_t m = k;
		while (m > 0 && item_cmp(&a[m - 1], &x, arena) > 0) {
			a[m] = a[m - 1];
			m--;
		}
		a[m] = x;
	}
}

/* Items whose prefixes are all equal (one key's duplicates: a parent's
 * children, a household's members), in whole-entry order: a bottom-up
 * merge sort through scratch of n items, so that a household of
 * thousands is not sorted in quadratic time. */
static void sort_ties(item *a, size_t n, const uint8_t *arena)
{
	if (n <= 32) {
		insertion_sort(a, n, arena);
		return;
	}
	item *tmp = malloc(n * sizeof(*tmp));
	if (!tmp) { /* out of memory: slower, still sorted */
		insertion_sort(a, n, arena);
		return;
	}
	for (size_t i = 0; i < n; i += 32)
		insertion_sort(a + i, n - i < 32 ? n - i : 32, arena);
	item *src = a, *dst = tmp;
	for (size_t w = 32; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, o = lo;
			while (i < mid && j < hi)
				dst[o++] = item_cmp(&src[j], &src[i], arena) < 0 ? src[j++] : src[i++];
			while (i < mid)
				dst[o++] = src[i++];
			while (j < hi)
				dst[o++] = src[j++];
		}
		item *t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * sizeof(*a));
	free(tmp);
}

/*
 * In-place MSD radix sort (American flag sort) of items[0..n) on the
 * prefix, byte by byte from byte `level`; small buckets by insertion
 * sort, equal prefixes by whole entries. No scratch array: the items are
 * permuted where they are (a second array as large would be as many
 * fresh pages again, the costliest part of a cold ingest).
 */
static void sort_items(item *a, size_t n, const uint8_t *arena, int level)
{
	for (;;) {
		if (n <= 32) {
			insertion_sort(a, n, arena);
			return;
		}
		if (level == 8) {
			sort_ties(a, n, arena);
			return;
		}
		int shift = 56 - 8 * level;
		size_t count[256] = { 0 };
		for (size_t i = 0; i < n; i++)
			count[(a[i].prefix >> shift) & 0xff]++;
		size_t head[256], tail[256], sum = 0;
		int nonempty = 0;
		for (int d = 0; d < 256; d++) {
			head[d] = sum;
			sum += count[d];
			tail[d] = sum;
			nonempty += count[d] > 0;
		}
		if (nonempty == 1) { /* every item has this byte: the next one */
			level++;
			continue;
		}
		for (int d = 0; d < 256; d++) {
			while (head[d] < tail[d]) {
				item v = a[head[d]];
				unsigned b = (unsigned)(v.prefix >> shift) & 0xff;
				while (b != (unsigned)d) {
					item w = a[head[b]];
					a[head[b]++] = v;
					v = w;
					b = (unsigned)(v.prefix >> shift) & 0xff;
				}
				a[head[d]++] = v;
			}
		}
		size_t lo = 0;
		for (int d = 0; d < 256; d++) {
			if (count[d] > 1)
				sort_items(a + lo, count[d], arena, level + 1);
			lo += count[d];
		}
		return;
	}
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
uint64_t bd_sorter_bytes(const bd_sorter *s) { return s->bytes; }

typedef struct sort_job {
	item *items;
	size_t n;
	uint8_t *arena;
} sort_job;

static void *sort_thread(void *arg)
{
	sort_job *j = arg;
	sort_items(j->items, j->n, j->arena, 0);
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
		jobs[i] = (sort_job){ s->items + bounds[i],
				      bounds[i + 1] - bounds[i], s->arena };
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
			const uint8_t *e = s->arena + s->items[i].off;
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

/* Reserves address space (touched pages only count), huge pages advised:
 * the arena is read in random order after sorting. */
static void *reserve(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	madvise(p, bytes, MADV_HUGEPAGE);
	return p;
}

static bd_err reserve_all(bd_sorter *s)
{
	s->acap = s->budget + SLACK;
	s->icap = s->acap / BD_ENTRY_HEAD + 1;
	s->arena = reserve(s->acap);
	s->items = reserve(s->icap * sizeof(item));
	if (!s->arena || !s->items)
		return bd_fail(BD_ERR_NOMEM, "无法分配排序内存 %zu MiB (out of memory)", s->acap >> 20);
	return BD_OK;
}

bd_err bd_sorter_add(bd_sorter *s, const uint8_t *entries, size_t len)
{
	if (s->finished)
		return bd_fail(BD_ERR_INTERNAL, "sorter: add after finish");
	bd_err e;
	if (!s->arena && (e = reserve_all(s)))
		return e;
	if (s->alen + len > s->budget && s->alen > 0 && (e = spill(s)))
		return e;
	if (s->alen + len > s->acap)
		return bd_fail(BD_ERR_LIMIT, "sorter: batch of %zu bytes exceeds the reserve", len);
	memcpy(s->arena + s->alen, entries, len);
	size_t off = 0;
	while (off < len) {
		if (len - off < BD_ENTRY_HEAD || bd_entry_size(entries + off) > len - off)
			return bd_fail(BD_ERR_INTERNAL, "sorter: truncated entry");
		s->items[s->n].prefix = entry_prefix(entries + off);
		s->items[s->n].off = s->alen + off;
		s->n++;
		off += bd_entry_size(entries + off);
		s->count++;
	}
	s->alen += len;
	s->bytes += len;
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
		/* entries are read in sorted, i.e. random, arena order: fetch a
		 * few ahead so the cache misses overlap */
		if (r->pos + 16 < r->end)
			__builtin_prefetch(r->arena + r->items[r->pos + 16].off);
		r->head = r->arena + r->items[r->pos++].off;
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
	int w = r->which ^= 1;
	if (n > r->bufcap[w]) {
		uint8_t *c = realloc(r->buf[w], n);
		if (!c)
			return bd_fail(BD_ERR_NOMEM, "out of memory (sorter)");
		r->buf[w] = c;
		r->bufcap[w] = n;
	}
	memcpy(r->buf[w], head, BD_ENTRY_HEAD);
	if (fread(r->buf[w] + BD_ENTRY_HEAD, 1, n - BD_ENTRY_HEAD, r->f) != n - BD_ENTRY_HEAD)
		return bd_fail(BD_ERR_IO, "读临时文件失败 (run truncated)");
	r->head = r->buf[w];
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
		r->items = s->items;
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
	s->pending = -1;
	return BD_OK;
}

/* Advances the run at the top of the heap and restores the heap. */
static bd_err pop_top(bd_sorter *s)
{
	run *r = &s->runs[s->heap[0]];
	bool more;
	bd_err e = run_advance(s, r, &more);
	if (e)
		return e;
	if (!more)
		s->heap[0] = s->heap[--s->nheap];
	if (s->nheap)
		heap_down(s, 0);
	return BD_OK;
}

bd_err bd_sorter_next(bd_sorter *s, const uint8_t **entry, bool *eof)
{
	if (!s->finished)
		return bd_fail(BD_ERR_INTERNAL, "sorter: next before finish");
	/* The entry returned last stays where it is (arena, or the other
	 * buffer of its file run) until its run is advanced here. */
	if (s->pending >= 0) {
		bd_err e = pop_top(s);
		if (e)
			return e;
		s->pending = -1;
	}
	for (;;) {
		if (s->nheap == 0) {
			*eof = true;
			return BD_OK;
		}
		const uint8_t *top = s->runs[s->heap[0]].head;
		size_t n = bd_entry_size(top);
		if (s->last && n == bd_entry_size(s->last) && !memcmp(s->last, top, n)) {
			/* exact duplicate: drop it, and remember it rather than the
			 * older copy, whose buffer the advance may reuse */
			s->last = top;
			bd_err e = pop_top(s);
			if (e)
				return e;
			continue;
		}
		s->last = top;
		s->pending = (int)s->heap[0];
		*entry = top;
		*eof = false;
		return BD_OK;
	}
}

void bd_sorter_free(bd_sorter *s)
{
	if (!s)
		return;
	for (unsigned i = 0; i < s->nfiles; i++)
		fclose(s->files[i]);
	for (unsigned i = 0; i < s->nruns; i++) {
		free(s->runs[i].buf[0]);
		free(s->runs[i].buf[1]);
	}
	if (s->arena)
		munmap(s->arena, s->acap);
	if (s->items)
		munmap(s->items, s->icap * sizeof(item));
	free(s);
}
