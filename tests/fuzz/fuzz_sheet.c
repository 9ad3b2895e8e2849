/* fuzz_sheet.c - libFuzzer target: XLSX and HTML readers on hostile bytes.
 * (BIFF .xls has its own target, fuzz_xls.c.) */
#include "bd/sheet.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bd_format fmt = bd_format_detect(data, size);
	if (fmt != BD_FMT_XLSX && fmt != BD_FMT_HTML)
		return 0;
	char path[] = "/tmp/bd_fuzz_sheet_XXXXXX";
	if (!fuzz_write_temp(path, data, size))
		return 0;
	bd_sheet *sh;
	if (bd_sheet_open(path, fmt, NULL, "auto", &sh) == BD_OK) {
		fuzz_drain_sheet(sh);
		bd_sheet_close(sh);
	}
	bd_clear_error();
	unlink(path);
	return 0;
}
