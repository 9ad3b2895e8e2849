/* fuzz_util.h - shared by the libFuzzer targets: the input as a temporary
 * file (the readers open paths), and reading a sheet to its end. */
#ifndef BD_FUZZ_UTIL_H
#define BD_FUZZ_UTIL_H

#include "bd/sheet.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Writes data to a new file made from the mkstemp template path; false
 * (nothing left behind) when that fails. */
static inline bool fuzz_write_temp(char *path, const uint8_t *data, size_t size)
{
	int fd = mkstemp(path);
	if (fd < 0)
		return false;
	bool ok = write(fd, data, size) == (ssize_t)size;
	close(fd);
	if (!ok)
		unlink(path);
	return ok;
}

/* Reads up to 100000 rows, touching every cell. */
static inline void fuzz_drain_sheet(bd_sheet *sh)
{
	bd_row row;
	bool eof = false;
	volatile size_t total = 0;
	for (int i = 0; i < 100000 && !eof; i++) {
		if (bd_sheet_next(sh, &row, &eof))
			break;
		for (uint32_t c = 0; !eof && c < row.ncell; c++)
			total += row.cells[c].n ? (unsigned char)row.cells[c].s[row.cells[c].n - 1] : 0;
	}
	(void)total;
}

#endif
