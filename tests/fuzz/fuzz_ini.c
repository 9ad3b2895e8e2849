/* fuzz_ini.c - libFuzzer target: RUN.ini parsing (libinih, our line
 * reader, section and key tables, every value type check) must never
 * crash, leak or read out of bounds, whatever the bytes. */
#include "bd/config.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/bd_fuzz_ini_XXXXXX";
	if (!fuzz_write_temp(path, data, size))
		return 0;
	bd_config *c = NULL;
	if (bd_config_load(path, &c) == BD_OK) {
		/* a loaded config holds what it was given */
		if (!c->period || !c->key || !c->as_of || c->threads < 1 || c->ndivisions > 4)
			abort();
		bd_config_free(c);
	} else if (c || !bd_last_error()[0]) {
		abort(); /* a failure leaves nothing and says why */
	}
	bd_clear_error();
	unlink(path);
	return 0;
}
