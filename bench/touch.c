/*
 * bench/touch.c - what touching fresh memory costs on this machine.
 *
 * A cold ingest writes about 2 GB of memory it never had before (the sort
 * arena, LMDB's pages); on a virtual machine whose host takes freed guest
 * memory back, each first touch of a page costs far more than the bytes
 * written. This maps 1 GiB three times in a row, touches one byte a
 * page, then memsets it (already backed), first with 4 KiB pages and then
 * with transparent huge pages advised, and prints the seconds:
 *
 *   cc -O2 -o touch bench/touch.c && ./touch [MiB]
 *
 * Figures are in docs/PERFORMANCE.md. Not part of make test.
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int round_of(size_t n, int huge, int r)
{
	char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	if (huge)
		madvise(p, n, MADV_HUGEPAGE);
	double t0 = now();
	for (size_t i = 0; i < n; i += 4096)
		p[i] = 1;
	double t1 = now();
	memset(p, 2, n);
	double t2 = now();
	printf("%-10s round %d: first touch %.3f s (%.2f s/GiB), memset after %.3f s\n",
	       huge ? "huge pages" : "4 KiB", r, t1 - t0, (t1 - t0) * (double)(1u << 30) / (double)n,
	       t2 - t1);
	munmap(p, n);
	return 0;
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 1024;
	size_t n = (mib ? mib : 1024) << 20;
	for (int huge = 0; huge < 2; huge++)
		for (int r = 1; r <= 3; r++)
			if (round_of(n, huge, r))
				return 1;
	return 0;
}
