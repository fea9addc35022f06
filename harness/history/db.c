// SPDX-License-Identifier: MIT
/* The drivers' shared part (db.h): choosing one, the row builder. */
#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct pb_db_driver *pb_db_driver_for(const char *where)
{
	if (!strncmp(where, "postgresql://", 13) || !strncmp(where, "postgres://", 11))
		return &pb_db_postgresql;
	return &pb_db_sqlite;
}

int pb_db_query(struct pb_db *db, const char *sql, int nparams, const char *const *params,
		struct pb_rows *rows, char *err, size_t len)
{
	struct pb_rows scratch = { 0 };
	int r = db->drv->query(db, sql, nparams, params, rows ? rows : &scratch, err, len);

	pb_rows_free(&scratch);
	return r;
}

void pb_rows_free(struct pb_rows *r)
{
	for (size_t i = 0; r->v && i < r->cells; i++)
		free(r->v[i]);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

int pb_rows_push(struct pb_rows *r, size_t *cap, const char *text)
{
	char *copy = NULL;

	if (r->cells == *cap) {
		size_t want = *cap ? 2 * *cap : 64;
		char **v = realloc(r->v, want * sizeof(*v));

		if (!v)
			return -1;
		r->v = v;
		*cap = want;
	}
	if (text && !(copy = strdup(text)))
		return -1;
	r->v[r->cells++] = copy;
	r->n = r->cols ? r->cells / r->cols : 0;
	return 0;
}
