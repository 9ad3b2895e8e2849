/* fuzz_xls.c - libFuzzer target: BIFF .xls (OLE2 compound files) through
 * the sheet API, as ingest reads them: FreeXL opens the file from a path,
 * so every input goes through a temporary file. The bytes are also read as
 * BIFF whatever their signature says, so the reader's own checks of the
 * container are exercised, not only FreeXL's. */
#include "bd/sheet.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/bd_fuzz_xls_XXXXXX";
	if (!fuzz_write_temp(path, data, size))
		return 0;
	static const char *const sheets[] = { NULL, "2" };
	for (size_t k = 0; k < 2; k++) {
		bd_sheet *sh;
		if (bd_sheet_open(path, BD_FMT_XLS, sheets[k], "auto", &sh) == BD_OK) {
			fuzz_drain_sheet(sh);
			bd_sheet_close(sh);
		}
		bd_clear_error();
	}
	unlink(path);
	return 0;
}
