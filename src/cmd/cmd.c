/* cmd.c - the command table and helpers shared by the commands. */
#include "bd/cmd.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

const bd_command bd_commands[] = {
	{ "keygen", bd_cmd_keygen, "KEYFILE", "生成密钥文件（32 字节随机数，十六进制，权限 0600）" },
	{ "hash", bd_cmd_hash, "--key KEYFILE --dataset NAME IN OUT",
	  "部门端：把身份证号替换为哈希值并加脱敏列" },
	{ "ingest", bd_cmd_ingest, "--config RUN.ini [--dataset NAME]...",
	  "导入各部门数据，建立（或更新）索引" },
	{ "match", bd_cmd_match, "--config RUN.ini", "按规则比对，生成 flags.csv" },
	{ "report", bd_cmd_report, "--config RUN.ini", "生成乡镇核查表和汇总表" },
	{ "run", bd_cmd_run, "--config RUN.ini", "导入 + 比对 + 报表" },
	{ "review", bd_cmd_review, "--config RUN.ini FILLED.xlsx...", "读回核查结论" },
	{ "peek", bd_cmd_peek, "FILE [--dataset NAME [--config RUN.ini]] [--sheet N] [--rows K] [--all] [--show-id]",
	  "查看 bidui 如何读取一个文件：格式、编码、工作表、表头、列映射和前几行" },
	{ "stats", bd_cmd_stats, "--config RUN.ini", "显示索引中各数据集的快照与行数统计" },
};
const size_t bd_ncommands = BD_ARRAY_LEN(bd_commands);

int bd_cmd_error(bd_err e)
{
	const char *msg = bd_last_error();
	fprintf(stderr, "bidui: %s\n", msg[0] ? msg : bd_strerror(e));
	return e == BD_ERR_USAGE || e == BD_ERR_CONFIG ? 2 : 1; /* CLI.md: 2 usage error */
}

void bd_cmd_usage(const char *name, void *fp)
{
	FILE *f = fp;
	for (size_t i = 0; i < bd_ncommands; i++)
		if (!strcmp(bd_commands[i].name, name))
			fprintf(f, "用法: bidui %s %s\n  %s\n", name, bd_commands[i].usage,
				bd_commands[i].summary);
}

bool bd_cmd_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	return false;
}

int bd_cmd_finish_stdout(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "bidui: 写标准输出失败: %s\n", strerror(errno));
		return 1;
	}
	return status;
}
