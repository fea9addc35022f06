// SPDX-License-Identifier: MIT
/*
 * The output formats, one row each: --format's name, the extension an
 * --out name carries, and the reporter that writes it. A new format is a
 * reporter file and a row here (and its name in enum pb_format).
 */
#include <string.h>
#include <strings.h>

#include "report.h"

const struct pb_format_desc pb_formats[PB_FMT_COUNT] = {
	[PB_FMT_JSON] = { .name = "json", .ext = ".json", .write = pb_report_json },
	[PB_FMT_CSV] = { .name = "csv", .ext = ".csv", .write = pb_report_csv },
	[PB_FMT_TAP] = { .name = "tap", .ext = ".tap", .write = pb_report_tap },
	[PB_FMT_CONSOLE] = { .name = "console", .ext = NULL, .write = pb_report_console },
};

const char *pb_format_name(int i)
{
	return i >= 0 && i < PB_FMT_COUNT ? pb_formats[i].name : NULL;
}

int pb_format_of_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL, *dot;

	if (!path || !strcmp(path, "-"))
		return -1;
	dot = strrchr(slash ? slash + 1 : path, '.');
	for (int i = 0; dot && i < PB_FMT_COUNT; i++)
		if (pb_formats[i].ext && !strcasecmp(dot, pb_formats[i].ext))
			return i;
	return -1;
}
