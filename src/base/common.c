/* common.c - error strings and the thread-local error message. */
#include "bd/common.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static _Thread_local char last_msg[2048];

const char *bd_strerror(bd_err code)
{
	switch (code) {
	case BD_OK: return "成功 (success)";
	case BD_ERR_NOMEM: return "内存不足 (out of memory)";
	case BD_ERR_IO: return "文件读写失败 (I/O error)";
	case BD_ERR_USAGE: return "命令行用法错误 (usage error)";
	case BD_ERR_CONFIG: return "运行配置错误 (invalid RUN.ini)";
	case BD_ERR_KEY: return "密钥文件错误 (key file error)";
	case BD_ERR_KEY_MISMATCH: return "索引与密钥不匹配 (index built under another key)";
	case BD_ERR_FORMAT: return "文件格式无法识别 (unreadable input format)";
	case BD_ERR_ENCODING: return "文本编码错误 (invalid text encoding)";
	case BD_ERR_HEADER: return "缺少必需的列 (required column missing)";
	case BD_ERR_VALUE: return "无法识别的取值 (unresolved values)";
	case BD_ERR_INDEX: return "索引库错误 (index error)";
	case BD_ERR_LIMIT: return "超出长度限制 (size limit exceeded)";
	case BD_ERR_INTERNAL: return "内部错误 (internal error)";
	case BD_ERR_MAX: break;
	}
	return "未知错误 (unknown error)";
}

bd_err bd_fail(bd_err code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last_msg, sizeof(last_msg), fmt, ap);
	va_end(ap);
	return code;
}

bd_err bd_fail_ctx(bd_err code, const char *fmt, ...)
{
	char prefix[1024], old[sizeof(last_msg)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, last_msg, sizeof(old));
	size_t pl = strlen(prefix), ol = strlen(old), cap = sizeof(last_msg) - 1;
	if (pl > cap)
		pl = cap;
	memcpy(last_msg, prefix, pl);
	size_t at = pl;
	if (ol && at + 2 <= cap) {
		memcpy(last_msg + at, ": ", 2);
		at += 2;
		if (ol > cap - at)
			ol = cap - at;
		memcpy(last_msg + at, old, ol);
		at += ol;
	}
	last_msg[at] = '\0';
	return code;
}

const char *bd_last_error(void)
{
	return last_msg;
}

void bd_clear_error(void)
{
	last_msg[0] = '\0';
}

bool bd_progress_wanted(void)
{
	return isatty(2) == 1 || getenv("BD_PROGRESS") != NULL;
}

size_t bd_utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	size_t k = max;
	while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
		k--;
	return k;
}

size_t bd_utf8_copy(char *out, size_t cap, const char *s, size_t n)
{
	n = bd_utf8_cut(s, n, cap - 1);
	memcpy(out, s, n);
	out[n] = '\0';
	return n;
}

void bd_run_parts(void *(*fn)(void *), void *args, size_t size, int n)
{
	pthread_t th[64];
	bool started[64] = { false };
	if (n > 64)
		n = 64;
	for (int i = 1; i < n; i++)
		started[i] = pthread_create(&th[i], NULL, fn, (char *)args + (size_t)i * size) == 0;
	if (n > 0)
		fn(args);
	for (int i = 1; i < n; i++) {
		if (started[i])
			pthread_join(th[i], NULL);
		else
			fn((char *)args + (size_t)i * size);
	}
}

int bd_parts_for(size_t n, int threads, size_t min)
{
	if (n < min || threads < 1)
		return 1;
	return threads > 64 ? 64 : threads;
}

void bd_now_iso(char *out, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%S%z", &tm);
}

double bd_clock_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void bd_timing(const char *what, double *t)
{
	static int on = -1;
	if (on < 0)
		on = getenv("BD_TIMING") != NULL;
	double now = bd_clock_s();
	if (on)
		fprintf(stderr, "[timing] %s %.3fs\n", what, now - *t);
	*t = now;
}

bd_err bd_input_check(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return bd_fail(BD_ERR_IO, "无法打开文件 %s: %s (cannot open file)",
			       path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return bd_fail(BD_ERR_IO, "%s 是一个目录, 不是数据文件; 请在 file = "
			       "中写出文件名 (a directory, not a file)", path);
	if (!S_ISREG(st.st_mode))
		return bd_fail(BD_ERR_IO, "%s 不是普通文件 (是管道、设备或套接字), "
			       "无法作为输入; 请先把数据保存为文件, 再在 file = 中"
			       "指定该文件 (not a regular file)", path);
	return BD_OK;
}
