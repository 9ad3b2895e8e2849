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
	item *tmp;       /* radix sort scratch */
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

/*
 * LSD radix sort of items[0..n) on the prefix (11-bit digits, passes where
 * every item has the same digit skipped), then runs of equal prefixes are
 * put in full-entry order by insertion sort (they are duplicate keys:
 * a parent's children, a household's members).
 */
static void sort_items(item *a, item *tmp, size_t n, const uint8_t *arena)
{
	static const int bits = 11;
	size_t count[1 << 11];
	for (int shift = 0; shift < 64; shift += bits) {
		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < n; i++)
			count[(a[i].prefix >> shift) & ((1u << bits) - 1)]++;
		bool trivial = false;
		for (size_t d = 0; d < (1u << bits) && !trivial; d++)
			trivial = count[d] == n;
		if (trivial)
			continue;
		size_t sum = 0;
		for (size_t d = 0; d < (1u << bits); d++) {
			size_t c = count[d];
			count[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[count[(a[i].prefix >> shift) & ((1u << bits) - 1)]++] = a[i];
		memcpy(a, tmp, n * sizeof(*a));
	}
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && a[j].prefix == a[i].prefix)
			j++;
		for (size_t k = i + 1; k < j; k++) {
			item x = a[k];
			size_t m = k;
			while (m > i && entry_cmp(arena + a[m - 1].off, arena + x.off) > 0) {
				a[m] = a[m - 1];
				m--;
			}
			a[m] = x;
		}
		i = j;
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
	item *items, *tmp;
	size_t n;
	uint8_t *arena;
} sort_job;

static void *sort_thread(void *arg)
{
	sort_job *j = arg;
	sort_items(j->items, j->tmp, j->n, j->arena);
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
		jobs[i] = (sort_job){ s->items + bounds[i], s->tmp + bounds[i],
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
	s->tmp = reserve(s->icap * sizeof(item));
	if (!s->arena || !s->items || !s->tmp)
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
	if (s->tmp)
		munmap(s->tmp, s->icap * sizeof(item));
	free(s);
}
