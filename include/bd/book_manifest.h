/*
 * book_manifest.h - 运行清单, the summary workbook's hidden sheet: the
 * manifest (manifest.h) in the words of a county supervisor, one leaf a
 * row of 类别 | 项目 | 内容 (输入 mz.roll 低保 | 拒收：身份证号无效 | 3),
 * filterable, not printed; the raw file stays beside the workbooks.
 */
#ifndef BD_BOOK_MANIFEST_H
#define BD_BOOK_MANIFEST_H

#include "bd/formats.h"

/* Adds the sheet of the manifest.json at path to wb; a line saying so
 * when it is missing or unreadable. */
void bd_book_manifest_sheet(lxw_workbook *wb, const bd_fmts *F, const char *path);

#endif
