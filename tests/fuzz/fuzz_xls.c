/* fuzz_xls.c - libFuzzer target: the BIFF5/8 record reader (src/read/xls.c).
 * The input is the Workbook stream itself, wrapped here in a minimal
 * OLE2 compound file (as tests/data/make_xls_fixtures.py writes them), so
 * that mutations reach the records instead of the container. The first
 * input byte picks the sheet (1-3). */
#include "bd/sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SECT 512u

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void dir_entry(unsigned char *e, const char *name, unsigned type,
		      uint32_t child, uint32_t start, uint32_t size)
{
	size_t n = strlen(name);
	memset(e, 0, 128);
	for (size_t i = 0; i < n; i++)
		e[2 * i] = (unsigned char)name[i];
	put16(e + 64, n ? (unsigned)(2 * n + 2) : 0);
	e[66] = (unsigned char)type;
	e[67] = 1;
	put32(e + 68, 0xFFFFFFFFu);
	put32(e + 72, 0xFFFFFFFFu);
	put32(e + 76, child);
	put32(e + 116, start);
	put32(e + 120, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 100 * SECT)
		return 0;
	char sheet[2] = {(char)('1' + data[0] % 3), 0};
	data++;
	size--;
	size_t slen = size < 4096 ? 4096 : size;  /* no mini stream */
	uint32_t n = (uint32_t)((slen + SECT - 1) / SECT);
	size_t total = SECT * (1u + n + 2u);
	unsigned char *f = calloc(1, total);
	if (!f)
		return 0;
	static const unsigned char sig[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
	memcpy(f, sig, 8);
	put16(f + 24, 0x3E);
	put16(f + 26, 3);
	put16(f + 28, 0xFFFE);
	put16(f + 30, 9);
	put16(f + 32, 6);
	put32(f + 44, 1);              /* FAT sectors */
	put32(f + 48, n);              /* directory */
	put32(f + 56, 4096);
	put32(f + 60, 0xFFFFFFFEu);
	put32(f + 68, 0xFFFFFFFEu);
	put32(f + 76, n + 1);          /* DIFAT[0]: the FAT */
	for (int i = 1; i < 109; i++)
		put32(f + 76 + 4 * i, 0xFFFFFFFFu);
	memcpy(f + SECT, data, size);
	unsigned char *dir = f + SECT * (1 + n);
	dir_entry(dir, "Root Entry", 5, 1, 0xFFFFFFFEu, 0);
	dir_entry(dir + 128, "Workbook", 2, 0xFFFFFFFFu, 0, (uint32_t)slen);
	dir_entry(dir + 256, "", 0, 0xFFFFFFFFu, 0, 0);
	dir_entry(dir + 384, "", 0, 0xFFFFFFFFu, 0, 0);
	unsigned char *fat = f + SECT * (2 + n);
	for (uint32_t i = 0; i < 128; i++) {
		uint32_t v = 0xFFFFFFFFu;
		if (i + 1 < n)
			v = i + 1;
		else if (i + 1 == n || i == n)
			v = 0xFFFFFFFEu;
		else if (i == n + 1)
			v = 0xFFFFFFFDu;
		put32(fat + 4 * i, v);
	}
	char path[] = "/tmp/bd_fuzz_xls_XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, f, total) != (ssize_t)total) {
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		free(f);
		return 0;
	}
	close(fd);
	free(f);
	bd_sheet *sh;
	if (bd_sheet_open(path, BD_FMT_XLS, sheet, NULL, &sh) == BD_OK) {
		bd_row row;
		bool eof = false;
		for (int i = 0; i < 100000 && !eof; i++)
			if (bd_sheet_next(sh, &row, &eof))
				break;
		(void)bd_sheet_warning(sh);
		bd_sheet_close(sh);
	}
	unlink(path);
	return 0;
}
