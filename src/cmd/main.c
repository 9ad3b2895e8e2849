/* main.c - bidui entry point: dispatches through the command table. */
#include "bd/cmd.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f, "bidui %s — 社会救助跨部门数据比对 (cross-department data matching)\n\n"
		   "用法: bidui 命令 [参数]\n\n命令:\n", BD_VERSION);
	for (size_t i = 0; i < bd_ncommands; i++)
		fprintf(f, "  %-8s %s\n           %s\n", bd_commands[i].name,
			bd_commands[i].summary, bd_commands[i].usage);
	fprintf(f, "\n  bidui --version | --help | 命令 --help\n"
		   "退出码: 0 成功，1 运行失败，2 用法错误\n");
}

int main(int argc, char **argv)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("bidui %s\n", BD_VERSION);
		return bd_cmd_finish_stdout(0);
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return bd_cmd_finish_stdout(0);
	}
	for (size_t i = 0; i < bd_ncommands; i++)
		if (!strcmp(argv[1], bd_commands[i].name)) {
			if (bd_cmd_wants_help(argc - 1, argv + 1)) {
				bd_cmd_usage(bd_commands[i].name, stdout);
				return bd_cmd_finish_stdout(0);
			}
			return bd_commands[i].run(argc - 1, argv + 1);
		}
	fprintf(stderr, "bidui: 未知命令 %s (unknown command)\n\n", argv[1]);
	usage(stderr);
	return 2;
}
