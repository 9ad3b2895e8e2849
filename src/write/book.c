/* book.c - a report workbook's file: temporary name, save, discard;
 * township names (book.h). */
#include "bd/book.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* What a township without a name is called in file names and sheets. */
const char *bd_town_name(const char *t)
{
	return t[0] ? t : "未知乡镇";
}

/* Townships by name, the unknown one ("") last. */
int bd_town_cmp(const char *a, const char *b)
{
	if (!*a || !*b)
		return (!*a) - (!*b);
	return strcmp(a, b);
}

/* libxlsxwriter stamps docProps/core.xml with gmtime(), which is not
 * reentrant: workbooks are filled in parallel but closed one at a time. */
static pthread_mutex_t close_mu = PTHREAD_MUTEX_INITIALIZER;

/* Closes a workbook that failed half-way and removes its temporary file. */
void bd_book_discard(lxw_workbook *wb, const char *tmp)
{
	pthread_mutex_lock(&close_mu);
	workbook_close(wb);
	pthread_mutex_unlock(&close_mu);
	unlink(tmp);
}

bd_err bd_book_save(lxw_workbook *wb, const char *tmp, const char *final)
{
	pthread_mutex_lock(&close_mu);
	lxw_error le = workbook_close(wb);
	pthread_mutex_unlock(&close_mu);
	if (le != LXW_NO_ERROR) {
		int err = errno;
		unlink(tmp);
		/* libxlsxwriter says ZIP_ERRNO and the like; a full disk is what
		 * the clerk can act on */
		char dir[4400];
		snprintf(dir, sizeof(dir), "%s", final);
		char *slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		struct statvfs vs;
		if (err == ENOSPC || (statvfs(slash ? dir : ".", &vs) == 0 &&
				      (unsigned long long)vs.f_bavail * vs.f_frsize < ((unsigned long long)16 << 20)))
			return bd_fail(BD_ERR_IO, "写入 %s 失败：磁盘空间不足 (disk full)。请清理 %s 所在磁盘后重新运行 "
				       "bidui report", final, slash ? dir : ".");
		return bd_fail(BD_ERR_IO, "写入 %s 失败: %s", final, lxw_strerror(le));
	}
	if (rename(tmp, final) != 0)
		return bd_fail(BD_ERR_IO, "无法写入 %s: %s", final, strerror(errno));
	return BD_OK;
}

/* Starts the workbook <out>/<file> under a temporary name (save renames
 * it), in constant-memory mode, with the formats; final receives the
 * path (BD_BOOK_PATH bytes). */
bd_err bd_book_open(const bd_config *cfg, const char *file, char *final, char tmp[BD_BOOK_PATH + 100],
		    lxw_workbook **wb, bd_fmts *F)
{
	snprintf(final, BD_BOOK_PATH, "%s/%s", cfg->out, file);
	snprintf(tmp, BD_BOOK_PATH + 100, "%s/.%s.tmp", cfg->out, file);
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = NULL };
	if (!(*wb = workbook_new_opt(tmp, &opt)))
		return bd_fail(BD_ERR_IO, "无法创建 %s", tmp);
	bd_formats_make(*wb, F);
	return BD_OK;
}

