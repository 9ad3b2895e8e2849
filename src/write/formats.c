/* formats.c - the cell formats of the workbooks and text measures
 * (formats.h). */
#include "bd/formats.h"

#include <stdio.h>
#include <string.h>

/* A cell format: 宋体 10 (what Chinese offices print with; other systems
 * substitute their CJK font), thin border, centred vertically. */
static lxw_format *cell_format(lxw_workbook *wb, const char *num, bool wrap)
{
	lxw_format *f = workbook_add_format(wb);
	format_set_font_name(f, "宋体");
	format_set_font_size(f, 10);
	format_set_border(f, LXW_BORDER_THIN);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	if (num)
		format_set_num_format(f, num);
	if (wrap)
		format_set_text_wrap(f);
	return f;
}

/* Text is indented by one character and numbers end with a space, so that
 * a right-aligned value never runs into a left-aligned neighbour (a
 * flag_id read over the phone must come out right). */
void bd_formats_make(lxw_workbook *wb, bd_fmts *f)
{
	f->title = workbook_add_format(wb);
	format_set_font_name(f->title, "宋体");
	format_set_bold(f->title);
	format_set_font_size(f->title, 14);
	f->head = cell_format(wb, NULL, true);
	format_set_bold(f->head);
	format_set_bg_color(f->head, 0xDDEBF7);
	format_set_align(f->head, LXW_ALIGN_CENTER);
	f->screen_head = cell_format(wb, NULL, true);
	format_set_bold(f->screen_head);
	format_set_bg_color(f->screen_head, 0xE7E6E6); /* grey: not printed */
	format_set_align(f->screen_head, LXW_ALIGN_CENTER);
	f->money_head = cell_format(wb, "#,##0.00_ ", false);
	format_set_bold(f->money_head);
	format_set_bg_color(f->money_head, 0xDDEBF7);
	f->text = cell_format(wb, NULL, true);
	format_set_indent(f->text, 1);
	f->nowrap = cell_format(wb, NULL, false);
	format_set_indent(f->nowrap, 1);
	f->code = cell_format(wb, NULL, false);
	format_set_indent(f->code, 1);
	f->money = cell_format(wb, "#,##0.00_ ", false);
	f->num = cell_format(wb, "0_ ", false);
	f->seq = cell_format(wb, "0", false);
	format_set_align(f->seq, LXW_ALIGN_CENTER);
	f->date = cell_format(wb, "yyyy-mm-dd", false);
	format_set_align(f->date, LXW_ALIGN_CENTER);
	f->pct = cell_format(wb, "0.0%_ ", false);
	f->unlocked = cell_format(wb, NULL, true);
	format_set_unlocked(f->unlocked);
	format_set_bg_color(f->unlocked, 0xFFF2CC);
	f->unlocked_date = cell_format(wb, "yyyy-mm-dd", false);
	format_set_unlocked(f->unlocked_date);
	format_set_align(f->unlocked_date, LXW_ALIGN_CENTER);
	format_set_bg_color(f->unlocked_date, 0xFFF2CC);
	/* text outside tables: no border */
	f->plain = workbook_add_format(wb);
	format_set_font_name(f->plain, "宋体");
	format_set_font_size(f->plain, 11);
	f->para = workbook_add_format(wb);
	format_set_font_name(f->para, "宋体");
	format_set_font_size(f->para, 11);
	format_set_text_wrap(f->para);
	format_set_align(f->para, LXW_ALIGN_VERTICAL_TOP);
}

/* Display width of UTF-8 text: CJK and full-width characters count 2. */
double bd_text_width(const char *s)
{
	double w = 0;
	for (const unsigned char *u = (const unsigned char *)s; *u; u++)
		if (*u < 0x80)
			w += 1;
		else if ((*u & 0xc0) != 0x80)
			w += *u >= 0xe0 ? 2 : 1;
	return w;
}

/* Lines text takes in a column of width w (characters of the sheet), each
 * of its own lines wrapped; one character of indent. */
int bd_text_lines(const char *text, double w)
{
	int n = 0;
	char one[1024];
	for (const char *s = text;;) {
		size_t len = strcspn(s, "\n");
		snprintf(one, sizeof(one), "%.*s", (int)(len < sizeof(one) - 1 ? len : sizeof(one) - 1), s);
		double t = bd_text_width(one);
		int k = 1;
		while (t > (w - 2) * k && k < 20)
			k++;
		n += k;
		if (!s[len])
			break;
		s += len + 1;
	}
	return n;
}
