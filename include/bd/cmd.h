/*
 * cmd.h - the subcommands. Each takes the arguments after its name
 * (argv[0] is the command name) and returns the process exit status:
 * 0 success, 1 the run failed (message printed), 2 usage error.
 */
#ifndef BD_CMD_H
#define BD_CMD_H

#include "bd/common.h"

typedef struct bd_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;     /* one line: arguments */
	const char *summary;   /* Chinese, one line */
} bd_command;

extern const bd_command bd_commands[];
extern const size_t bd_ncommands;

int bd_cmd_keygen(int argc, char **argv);
int bd_cmd_hash(int argc, char **argv);
int bd_cmd_ingest(int argc, char **argv);
int bd_cmd_stats(int argc, char **argv);
int bd_cmd_match(int argc, char **argv);
int bd_cmd_report(int argc, char **argv);
int bd_cmd_run(int argc, char **argv);
int bd_cmd_review(int argc, char **argv);
int bd_cmd_peek(int argc, char **argv);

/* Prints "bidui: <message>" for this thread's last error, returns 1 (2 for
 * BD_ERR_USAGE). */
int bd_cmd_error(bd_err e);
/* Prints the usage of command name to f. */
void bd_cmd_usage(const char *name, void *f);
/* true when argv holds -h or --help. */
bool bd_cmd_wants_help(int argc, char **argv);
/* Checks stdout can be flushed and closed; returns 0 or 1 with a message. */
int bd_cmd_finish_stdout(int status);

#endif
