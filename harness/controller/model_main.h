/* SPDX-License-Identifier: MIT */
#ifndef PB_MODEL_MAIN_H
#define PB_MODEL_MAIN_H

/* `procbench model [options] FILE...` (model_main.c): argv[0] is "model". */
int pb_model_main(int argc, char **argv);

#endif
