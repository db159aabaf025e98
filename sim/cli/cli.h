/*
** cli: the tcsim command line (README.md, the command line): subcommands parsed with
** getopt_long, help, version and exit codes. Only cli.c, main.c and
** progress.c print to the terminal or exit.
*/
#ifndef TCSIM_CLI_H
#define TCSIM_CLI_H

enum tc_exit {
    TC_EXIT_OK = 0,            /* success */
    TC_EXIT_FAIL = 1,          /* invalid input, a failed run or I/O, a verify or compare failure */
    TC_EXIT_USAGE = 2,         /* the command line itself is wrong */
    TC_EXIT_INTERRUPTED = 130, /* stopped by SIGINT or SIGTERM: nothing written */
};

/* Runs tcsim with main()'s arguments; returns the exit code. */
int tc_cli_main(int argc, char **argv);

#endif
