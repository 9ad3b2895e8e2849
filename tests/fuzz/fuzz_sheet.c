/* fuzz_sheet.c - libFuzzer target: XLSX, HTML and .xls (whole files, bare
 * BIFF2-5 included) readers on hostile bytes.
 * (BIFF .xls: libgsf for the OLE2 container, our own BIFF record reader.) */
#include "bd/sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/bd_fuzz_sheet_XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	bd_format fmt = bd_format_detect(data, size);
	if (fmt == BD_FMT_XLSX || fmt == BD_FMT_HTML || fmt == BD_FMT_XLS) {
		bd_sheet *sh;
		if (bd_sheet_open(path, fmt, NULL, "auto", &sh) == BD_OK) {
			bd_row row;
			bool eof = false;
			for (int i = 0; i < 100000 && !eof; i++)
				if (bd_sheet_next(sh, &row, &eof))
					break;
			bd_sheet_close(sh);
		}
	}
	unlink(path);
	return 0;
}
