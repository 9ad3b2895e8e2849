/* places.c - region code -> name: learnt from the roll, then the
 * divisions tables of RUN.ini (places.h). */
#include "bd/places.h"
#include "bd/codemap.h"
#include "bd/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int place_cmp(const void *a, const void *b)
{
	return strcmp(((const struct bd_place *)a)->code, ((const struct bd_place *)b)->code);
}

const char *bd_place_name(const bd_roll *roll, const char *code)
{
	struct bd_place key;
	snprintf(key.code, sizeof(key.code), "%s", code);
	const struct bd_place *p = roll->nplaces ? bsearch(&key, roll->places, roll->nplaces,
							   sizeof(key), place_cmp) : NULL;
	return p ? p->name : NULL;
}

void bd_flag_name_places(bd_flag *f, const bd_roll *roll)
{
	const char *t = bd_place_name(roll, f->township), *v = bd_place_name(roll, f->village);
	if (t)
		snprintf(f->township, sizeof(f->township), "%s", t);
	if (v)
		snprintf(f->village, sizeof(f->village), "%s", v);
}

static int place_sort_cmp(const void *a, const void *b)
{
	int c = place_cmp(a, b);
	return c ? c : strcmp(((const struct bd_place *)a)->name, ((const struct bd_place *)b)->name);
}

/* Adds code[0..clen) -> name to set; a code with several names keeps the
 * smallest. false when out of memory. */
static bool place_put(bd_codemap *set, const char *code, size_t clen, const char *name)
{
	struct bd_place *p = bd_codemap_get(set, code, clen);
	if (!p)
		return false;
	if (!p->name[0] || strcmp(name, p->name) < 0)
		snprintf(p->name, sizeof(p->name), "%s", name);
	return true;
}

/* One thread's share of learn_places: rows [lo, hi) into its own set. */
typedef struct placejob {
	bd_facts *facts;
	bd_roll *roll;
	size_t lo, hi;
	bd_codemap set; /* code -> smallest name seen */
	bd_err err;
	char errmsg[512];
} placejob;

static void *learn_places_part(void *arg)
{
	placejob *j = arg;
	bd_view *v;
	bd_clear_error();
	if ((j->err = bd_view_open(j->facts, &v))) {
		snprintf(j->errmsg, sizeof(j->errmsg), "%s", bd_last_error());
		return NULL;
	}
	bd_roll *roll = j->roll;
	for (size_t i = j->lo; i < j->hi && !j->err; i++) {
		const bd_rollrow *r = &roll->rows[i];
		const bd_rec *p;
		if ((j->err = bd_view_person(v, r->hid, &p))) {
			snprintf(j->errmsg, sizeof(j->errmsg), "%s", bd_last_error());
			break;
		}
		if (!p || p->str[BD_P_REGION].n != 12 || !r->township[0])
			continue;
		if (!place_put(&j->set, p->str[BD_P_REGION].s, 9, r->township) ||
		    (r->village[0] && !place_put(&j->set, p->str[BD_P_REGION].s, 12, r->village))) {
			j->err = bd_fail(BD_ERR_NOMEM, "out of memory");
			snprintf(j->errmsg, sizeof(j->errmsg), "%s", bd_last_error());
		}
	}
	bd_view_close(v);
	return NULL;
}

/* Learns region code -> name pairs from roll rows of registered persons,
 * the rows shared among threads. */
bd_err bd_places_learn(bd_facts *facts, bd_roll *roll, int threads)
{
	int nt = bd_parts_for(roll->n, threads, 4096);
	placejob jobs[64];
	for (int t = 0; t < nt; t++) {
		jobs[t] = (placejob){ facts, roll, roll->n * (size_t)t / (size_t)nt,
				      roll->n * (size_t)(t + 1) / (size_t)nt, { 0 }, BD_OK, "" };
		bd_codemap_init(&jobs[t].set, sizeof(struct bd_place));
	}
	bd_run_parts(learn_places_part, jobs, sizeof(jobs[0]), nt);
	bd_err e = BD_OK;
	size_t total = 0;
	for (int t = 0; t < nt; t++) {
		if (jobs[t].err && !e)
			e = bd_fail(jobs[t].err, "%s", jobs[t].errmsg);
		total += jobs[t].set.n;
	}
	roll->places = e ? NULL : calloc(total + 1, sizeof(*roll->places));
	if (!e && !roll->places)
		e = bd_fail(BD_ERR_NOMEM, "out of memory");
	size_t n = 0;
	for (int t = 0; t < nt; t++) {
		for (size_t i = 0; !e && i < jobs[t].set.cap; i++) {
			const struct bd_place *p = bd_codemap_slot(&jobs[t].set, i);
			if (p)
				roll->places[n++] = *p;
		}
		bd_codemap_release(&jobs[t].set);
	}
	if (e)
		return e;
	/* a code with several names keeps the smallest: deterministic */
	qsort(roll->places, n, sizeof(*roll->places), place_sort_cmp);
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (!w || strcmp(roll->places[w - 1].code, roll->places[i].code))
			roll->places[w++] = roll->places[i];
	roll->nplaces = w;
	return BD_OK;
}

/* Names the region codes the roll did not teach from the divisions
 * tables of RUN.ini (`divisions =`): CSV with code,name columns (the
 * national tables' streets.csv / villages.csv.gz) or with township_code,
 * township_name, village_code, village_name; only codes of the
 * jurisdiction are kept. */
bd_err bd_places_load_divisions(const bd_config *cfg, bd_roll *roll)
{
	size_t learned = roll->nplaces, cap = roll->nplaces + 1, n = roll->nplaces;
	size_t jl = strlen(cfg->jurisdiction);
	bd_err e = BD_OK;
	for (size_t d = 0; d < cfg->ndivisions && !e; d++) {
		bd_csv *c;
		if ((e = bd_csv_open(cfg->divisions[d], "auto", &c)))
			return bd_fail_ctx(e, "divisions");
		bd_row row;
		bool eof, head = true;
		int pc[3] = { -1, -1, -1 }, pn[3] = { -1, -1, -1 };
		static const char *const codes[3] = { "code", "township_code", "village_code" };
		static const char *const names[3] = { "name", "township_name", "village_name" };
		while (!e && !(e = bd_csv_next(c, &row, &eof)) && !eof) {
			if (head) {
				for (uint32_t i = 0; i < row.ncell; i++)
					for (int k = 0; k < 3; k++) {
						if (!strcmp(row.cells[i].s, codes[k]) ||
						    (!k && (!strcmp(row.cells[i].s, "区划代码") || !strcmp(row.cells[i].s, "代码"))))
							pc[k] = (int)i;
						if (!strcmp(row.cells[i].s, names[k]) || (!k && !strcmp(row.cells[i].s, "名称")))
							pn[k] = (int)i;
					}
				head = false;
				if ((pc[0] < 0 || pn[0] < 0) && (pc[1] < 0 || pn[1] < 0) && (pc[2] < 0 || pn[2] < 0))
					e = bd_fail(BD_ERR_HEADER, "%s: 找不到 code,name（或 township_code,township_name、"
						    "village_code,village_name）列", cfg->divisions[d]);
				continue;
			}
			for (int k = 0; k < 3 && !e; k++) {
				if (pc[k] < 0 || pn[k] < 0 || (uint32_t)pc[k] >= row.ncell || (uint32_t)pn[k] >= row.ncell)
					continue;
				const char *code = row.cells[pc[k]].s;
				size_t cl = strlen(code);
				if ((cl != 9 && cl != 12) || strncmp(code, cfg->jurisdiction, jl) ||
				    bd_place_name(roll, code) || !*row.cells[pn[k]].s)
					continue;
				if (n + 1 >= cap) {
					cap = cap * 2 + 64;
					struct bd_place *np = realloc(roll->places, cap * sizeof(*np));
					if (!np) {
						e = bd_fail(BD_ERR_NOMEM, "out of memory");
						break;
					}
					roll->places = np;
				}
				snprintf(roll->places[n].code, sizeof(roll->places[n].code), "%s", code);
				bd_utf8_copy(roll->places[n].name, sizeof(roll->places[n].name), row.cells[pn[k]].s,
					 strlen(row.cells[pn[k]].s));
				n++;
			}
		}
		bd_csv_close(c);
	}
	/* learned names first, table names for the rest; each code once */
	if (!e && n > learned) {
		qsort(roll->places + learned, n - learned, sizeof(*roll->places), place_sort_cmp);
		size_t w = learned;
		for (size_t i = learned; i < n; i++)
			if (w == learned || strcmp(roll->places[w - 1].code, roll->places[i].code))
				roll->places[w++] = roll->places[i];
		roll->nplaces = w;
		qsort(roll->places, w, sizeof(*roll->places), place_cmp);
	}
	return e;
}

