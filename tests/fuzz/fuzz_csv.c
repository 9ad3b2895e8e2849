/* fuzz_csv.c - libFuzzer target: the CSV reader (sequential and block
 * paths, every encoding) must never crash or read out of bounds. */
#include "bd/csv.h"

#include "fuzz_util.h"

static bd_err count_row(void *ctx, const bd_row *row)
{
	size_t *n = ctx;
	for (uint32_t i = 0; i < row->ncell; i++)
		*n += row->cells[i].n;
	return BD_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/bd_fuzz_csv_XXXXXX";
	if (!fuzz_write_temp(path, data, size))
		return 0;
	static const char *const encs[] = { "auto", "gbk", "utf-8" };
	for (size_t k = 0; k < 3; k++) {
		bd_csv *c;
		if (bd_csv_open(path, encs[k], &c))
			continue;
		bd_row row;
		bool eof = false;
		for (int i = 0; i < 3 && !eof; i++)
			if (bd_csv_next(c, &row, &eof))
				break;
		bd_csvparser p;
		bd_csvparser_init(&p, bd_csv_encoding(c), bd_csv_delimiter(c));
		size_t total = 0;
		for (;;) {
			bd_csvblock blk;
			if (bd_csv_next_block(c, 64, &blk, &eof) || eof)
				break;
			bd_csv_parse_block(&p, &blk, path, count_row, &total);
			free(blk.data);
		}
		bd_csvparser_release(&p);
		bd_csv_close(c);
	}
	bd_clear_error();
	unlink(path);
	return 0;
}
