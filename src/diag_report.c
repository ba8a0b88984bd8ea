/*
 * diag_report.c - diagnostics for tools: JSON, SARIF 2.1.0 and JUnit XML
 * (see diag.h).  The same list, sorted and capped, as text prints it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "escape.h"
#include "strbuf.h"

#define SARIF_SCHEMA "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

/*
 * A JSON string.  Messages quote infra.yml, which the front end has checked
 * is UTF-8, but a file name need not be: an invalid byte becomes U+FFFD.
 */
static void json_str(struct strbuf *out, const char *s)
{
	struct strbuf text = STRBUF_INIT;
	struct escape_error err;

	strbuf_addstr(&text, s);
	while (escape_json(out, text.buf, text.len, &err) < 0) {
		struct strbuf fixed = STRBUF_INIT;
		strbuf_add(&fixed, text.buf, err.offset);
		strbuf_addstr(&fixed, "\xEF\xBF\xBD");
		strbuf_addstr(&fixed, text.buf + err.offset + 1);
		strbuf_release(&text);
		text = fixed;
	}
	strbuf_release(&text);
}

/*
 * Text for XML character data or an attribute, as the text format quotes it
 * (diag_escape: no control character is left, which XML 1.0 could not
 * write anyway), with the markup characters as entities.
 */
static void xml_str(struct strbuf *out, const char *text)
{
	struct strbuf quoted = STRBUF_INIT;
	const char *s;

	diag_escape(&quoted, text);
	for (s = quoted.buf; *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '&': strbuf_addstr(out, "&amp;"); break;
		case '<': strbuf_addstr(out, "&lt;"); break;
		case '>': strbuf_addstr(out, "&gt;"); break;
		case '"': strbuf_addstr(out, "&quot;"); break;
		case '\'': strbuf_addstr(out, "&apos;"); break;
		case '\t': case '\n': strbuf_addch(out, (char)c); break;
		default:
			/* XML 1.0 has no way to write the other C0 controls. */
			if (c >= 0x20 && c != 0x7f)
				strbuf_addch(out, (char)c);
			else
				strbuf_addf(out, "\\x%02X", c);
		}
	}
	strbuf_release(&quoted);
}

struct where {
	const char *file; /* NULL: no place */
	unsigned line, column, end_column;
};

static struct where where_at(struct loc loc)
{
	struct where w = { NULL, 0, 0, 0 };
	const struct source *src = loc.src;
	struct position at, end;

	if (!src)
		return w;
	at = source_locate(src, loc.offset);
	end = source_locate(src, loc.offset + loc.length);
	w.file = src->name;
	w.line = at.line;
	w.column = at.column;
	/* One past the span, on its first line (SARIF's endColumn). */
	w.end_column = end.line == at.line && end.column > at.column ? end.column : at.column + 1;
	return w;
}

static struct where where_of(const struct diag *d)
{
	return where_at(d->loc);
}

static const char *severity_name(const struct diag *d)
{
	return d->severity == DIAG_ERROR ? "error" : "warning";
}

static bool shown(const struct diag *d, bool quiet)
{
	return !quiet || d->severity == DIAG_ERROR;
}

static void report_json(const struct diag_list *list, struct strbuf *out, bool quiet)
{
	size_t i;
	bool first = true;

	strbuf_addstr(out, "{\"diagnostics\": [");
	for (i = 0; i < list->n; i++) {
		const struct diag *d = &list->items[i];
		struct where w = where_of(d);

		if (!shown(d, quiet))
			continue;
		strbuf_addstr(out, first ? "\n  {" : ",\n  {");
		first = false;
		strbuf_addstr(out, "\"code\": ");
		json_str(out, diag_codes[d->code].name);
		strbuf_addf(out, ", \"severity\": \"%s\", \"message\": ", severity_name(d));
		json_str(out, d->message);
		if (w.file) {
			strbuf_addstr(out, ", \"file\": ");
			json_str(out, w.file);
			strbuf_addf(out, ", \"line\": %u, \"column\": %u, \"end_column\": %u",
				    w.line, w.column, w.end_column);
		}
		if (d->hint) {
			strbuf_addstr(out, ", \"hint\": ");
			json_str(out, d->hint);
		}
		if (d->note) {
			struct where n = where_at(d->note_loc);
			strbuf_addstr(out, ", \"note\": {\"message\": ");
			json_str(out, d->note);
			strbuf_addstr(out, ", \"file\": ");
			json_str(out, n.file);
			strbuf_addf(out, ", \"line\": %u, \"column\": %u, \"end_column\": %u}",
				    n.line, n.column, n.end_column);
		}
		strbuf_addch(out, '}');
	}
	strbuf_addf(out, "%s],\n \"errors\": %u, \"warnings\": %u,"
		    " \"not_shown\": {\"errors\": %u, \"warnings\": %u}}\n",
		    first ? "" : "\n", list->nerrors, list->nwarnings,
		    list->dropped_errors, quiet ? list->nwarnings : list->dropped_warnings);
}

static void report_sarif(const struct diag_list *list, struct strbuf *out, bool quiet)
{
	size_t i;
	int c;
	bool first = true;

	strbuf_addstr(out, "{\n  \"$schema\": \"" SARIF_SCHEMA "\",\n  \"version\": \"2.1.0\",\n"
			   "  \"runs\": [{\n    \"tool\": {\"driver\": {\"name\": \"ecsgen\", \"version\": \""
			   PACKAGE_VERSION "\",\n      \"informationUri\": \"" PACKAGE_BUGREPORT "\",\n"
			   "      \"rules\": [");
	for (c = 0; c < DIAG__COUNT; c++) {
		strbuf_addstr(out, c ? ",\n        {\"id\": " : "\n        {\"id\": ");
		json_str(out, diag_codes[c].name);
		strbuf_addstr(out, ", \"shortDescription\": {\"text\": ");
		json_str(out, diag_codes[c].description);
		strbuf_addf(out, "}, \"defaultConfiguration\": {\"level\": \"%s\"}}",
			    diag_codes[c].severity == DIAG_ERROR ? "error" : "warning");
	}
	strbuf_addstr(out, "]}},\n    \"results\": [");
	for (i = 0; i < list->n; i++) {
		const struct diag *d = &list->items[i];
		struct where w = where_of(d);

		if (!shown(d, quiet))
			continue;
		strbuf_addstr(out, first ? "\n      {\"ruleId\": " : ",\n      {\"ruleId\": ");
		first = false;
		json_str(out, diag_codes[d->code].name);
		strbuf_addf(out, ", \"ruleIndex\": %d, \"level\": \"%s\", \"message\": {\"text\": ",
			    (int)d->code, severity_name(d));
		if (d->hint) {
			struct strbuf text = STRBUF_INIT;
			strbuf_addf(&text, "%s (hint: %s)", d->message, d->hint);
			json_str(out, text.buf);
			strbuf_release(&text);
		} else {
			json_str(out, d->message);
		}
		strbuf_addch(out, '}');
		if (w.file) {
			strbuf_addstr(out, ",\n       \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ");
			json_str(out, w.file);
			strbuf_addf(out, "}, \"region\": {\"startLine\": %u, \"startColumn\": %u, \"endColumn\": %u}}}]",
				    w.line, w.column, w.end_column);
		}
		if (d->note) {
			struct where n = where_at(d->note_loc);
			strbuf_addstr(out, ",\n       \"relatedLocations\": [{\"id\": 0, \"message\": {\"text\": ");
			json_str(out, d->note);
			strbuf_addstr(out, "}, \"physicalLocation\": {\"artifactLocation\": {\"uri\": ");
			json_str(out, n.file);
			strbuf_addf(out, "}, \"region\": {\"startLine\": %u, \"startColumn\": %u, \"endColumn\": %u}}}]",
				    n.line, n.column, n.end_column);
		}
		strbuf_addch(out, '}');
	}
	strbuf_addf(out, "%s]\n  }]\n}\n", first ? "" : "\n    ");
}

/*
 * JUnit XML as CodeBuild report groups read it: one test case per
 * diagnostic (an error fails it), or one passing case when there is none.
 */
static void report_junit(const struct diag_list *list, struct strbuf *out, bool quiet)
{
	unsigned cases = 0, failures = 0;
	struct strbuf body = STRBUF_INIT;
	size_t i;

	for (i = 0; i < list->n; i++) {
		const struct diag *d = &list->items[i];
		struct where w = where_of(d);
		struct strbuf name = STRBUF_INIT;

		if (!shown(d, quiet))
			continue;
		cases++;
		if (w.file)
			strbuf_addf(&name, "%s:%u:%u: ", w.file, w.line, w.column);
		strbuf_addf(&name, "%s [%s]", d->message, diag_codes[d->code].name);
		strbuf_addstr(&body, "    <testcase classname=\"ecsgen.");
		xml_str(&body, diag_codes[d->code].name);
		strbuf_addstr(&body, "\" name=\"");
		xml_str(&body, name.buf);
		strbuf_addstr(&body, "\">\n");
		if (d->severity == DIAG_ERROR) {
			failures++;
			strbuf_addstr(&body, "      <failure type=\"error\" message=\"");
			xml_str(&body, d->message);
			strbuf_addstr(&body, "\">");
		} else {
			strbuf_addstr(&body, "      <system-out>warning: ");
		}
		xml_str(&body, name.buf);
		if (d->hint) {
			strbuf_addstr(&body, "\nhint: ");
			xml_str(&body, d->hint);
		}
		if (d->note) {
			struct where n = where_at(d->note_loc);
			struct strbuf note = STRBUF_INIT;
			strbuf_addf(&note, "%s:%u:%u: note: %s", n.file, n.line, n.column, d->note);
			strbuf_addch(&body, '\n');
			xml_str(&body, note.buf);
			strbuf_release(&note);
		}
		strbuf_addstr(&body, d->severity == DIAG_ERROR ? "</failure>\n" : "</system-out>\n");
		strbuf_addstr(&body, "    </testcase>\n");
		strbuf_release(&name);
	}
	if (!cases) {
		cases = 1;
		strbuf_addstr(&body, "    <testcase classname=\"ecsgen\" name=\"no diagnostics\"/>\n");
	}
	strbuf_addf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<testsuites tests=\"%u\" failures=\"%u\">\n"
		    "  <testsuite name=\"ecsgen\" tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"0\">\n",
		    cases, failures, cases, failures);
	strbuf_add(out, body.buf, body.len);
	strbuf_addstr(out, "  </testsuite>\n</testsuites>\n");
	strbuf_release(&body);
}

int diag_format_find(const char *name)
{
	static const char *const names[] = {
		[DIAG_FORMAT_TEXT] = "text", [DIAG_FORMAT_JSON] = "json",
		[DIAG_FORMAT_SARIF] = "sarif", [DIAG_FORMAT_JUNIT] = "junit",
	};
	int i;

	for (i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

void diag_report(struct diag_list *list, FILE *out, enum diag_format format, bool quiet)
{
	struct strbuf sb = STRBUF_INIT;

	if (format == DIAG_FORMAT_TEXT) {
		diag_print(list, out, quiet);
		return;
	}
	diag_sort(list);
	if (format == DIAG_FORMAT_JSON)
		report_json(list, &sb, quiet);
	else if (format == DIAG_FORMAT_SARIF)
		report_sarif(list, &sb, quiet);
	else
		report_junit(list, &sb, quiet);
	fwrite(sb.buf, 1, sb.len, out);
	fflush(out);
	strbuf_release(&sb);
}
