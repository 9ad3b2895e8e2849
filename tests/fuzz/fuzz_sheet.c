/* fuzz_sheet.c - libFuzzer target: XLSX, HTML and .xls (whole files, bare
 * BIFF2-5 included) readers on hostile bytes.
 * (BIFF .xls: libgsf for the OLE2 container, our own BIFF record reader;
 * fuzz_xls.c mutates the records inside a generated container.) */
#include "bd/sheet.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bd_format fmt = bd_format_detect(data, size);
	if (fmt != BD_FMT_XLSX && fmt != BD_FMT_HTML && fmt != BD_FMT_XLS)
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
