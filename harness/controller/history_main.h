/* SPDX-License-Identifier: MIT */
#ifndef PB_HISTORY_MAIN_H
#define PB_HISTORY_MAIN_H

/* `procbench history COMMAND ...` (history_main.c): argv[0] is "history". */
int pb_history_main(int argc, char **argv);

#endif
