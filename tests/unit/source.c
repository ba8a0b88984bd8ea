/* source.c - unit tests of sources, line maps and locations (src/source.c). */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "source.h"

static struct arena *arena;

static void setup(void)
{
	arena = arena_new();
}

static void teardown(void)
{
	arena_free(arena);
}

TestSuite(source, .init = setup, .fini = teardown);

static struct source *mem(const char *text)
{
	return source_from_memory(arena, "infra.yml", text, strlen(text));
}

static void expect_pos(struct source *src, size_t offset, unsigned line, unsigned column)
{
	struct position pos = source_locate(src, offset);
	cr_assert(pos.line == line && pos.column == column,
		  "offset %zu: %u:%u, want %u:%u", offset, pos.line, pos.column, line, column);
}

Test(source, lines_and_columns)
{
	struct source *src = mem("ab\ncd\n\nlast");

	expect_pos(src, 0, 1, 1);
	expect_pos(src, 1, 1, 2);
	expect_pos(src, 2, 1, 3); /* the newline belongs to its line */
	expect_pos(src, 3, 2, 1);
	expect_pos(src, 5, 2, 3);
	expect_pos(src, 6, 3, 1);
	expect_pos(src, 7, 4, 1);
	expect_pos(src, 10, 4, 4);
	expect_pos(src, 11, 4, 5); /* end of text */
	expect_pos(src, 1000, 4, 5); /* clamped */
	cr_assert_eq(source_lines(src)->n, 4);
}

Test(source, columns_count_utf8_characters)
{
	struct source *src = mem("\xc3\xa9: x\n\xe6\x97\xa5\xe6\x9c\xac: y\n\xf0\x9f\x99\x82z");

	expect_pos(src, 4, 1, 4);   /* x after a 2-byte character */
	expect_pos(src, 6, 2, 1);
	expect_pos(src, 14, 2, 5);  /* y after two 3-byte characters */
	expect_pos(src, 20, 3, 2);  /* z after a 4-byte character */
}

Test(source, text_is_copied_and_terminated)
{
	char text[] = "key: value";
	struct source *src = source_from_memory(arena, "t.yml", text, 3);
	text[0] = 'X';
	cr_assert_str_eq(src->text, "key");
	cr_assert_eq(src->len, 3);
	cr_assert_str_eq(src->name, "t.yml");
}

Test(source, empty_text)
{
	struct source *src = mem("");
	size_t len = 99;
	const char *line = source_line(src, 0, &len);

	expect_pos(src, 0, 1, 1);
	cr_assert_eq(len, 0);
	cr_assert_not_null(line);
}

Test(source, line_text_without_newline_or_cr)
{
	struct source *src = mem("first\r\nsecond\nthird");
	size_t len;
	const char *line;

	line = source_line(src, 2, &len);
	cr_assert_eq(len, 5);
	cr_assert_eq(strncmp(line, "first", len), 0);
	line = source_line(src, 10, &len);
	cr_assert_eq(len, 6);
	cr_assert_eq(strncmp(line, "second", len), 0);
	line = source_line(src, 100, &len);
	cr_assert_eq(len, 5);
	cr_assert_eq(strncmp(line, "third", len), 0);
}

Test(source, many_lines_binary_search)
{
	char text[30000];
	struct source *src;
	size_t i;

	for (i = 0; i < 10000; i++)
		memcpy(text + 3 * i, "ab\n", 3);
	src = source_from_memory(arena, "big", text, 30000);
	for (i = 0; i < 10000; i += 997) {
		expect_pos(src, 3 * i, (unsigned)i + 1, 1);
		expect_pos(src, 3 * i + 2, (unsigned)i + 1, 3);
	}
	expect_pos(src, 30000, 10001, 1);
}

Test(source, locations)
{
	struct source *src = mem("abc");
	struct loc loc = loc_make(src, 1, 2);
	struct loc none = loc_none();

	cr_assert(loc_is_set(loc));
	cr_assert_eq(loc.src, src);
	cr_assert_eq(loc.offset, 1);
	cr_assert_eq(loc.length, 2);
	cr_assert(!loc_is_set(none));
}

Test(source, read_file)
{
	char path[] = "/tmp/ecsgen-source.XXXXXX";
	int fd = mkstemp(path);
	struct source *src;

	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, "a: 1\nb: 2\n", 10), 10);
	close(fd);
	src = source_read_file(arena, path, "shown.yml", 1 << 20);
	cr_assert_not_null(src);
	cr_assert_str_eq(src->name, "shown.yml");
	cr_assert_str_eq(src->text, "a: 1\nb: 2\n");
	cr_assert_eq(src->len, 10);
	expect_pos(src, 5, 2, 1);

	errno = 0;
	cr_assert_null(source_read_file(arena, path, "shown.yml", 9));
	cr_assert_eq(errno, EFBIG);
	unlink(path);
	errno = 0;
	cr_assert_null(source_read_file(arena, path, "shown.yml", 1 << 20));
	cr_assert_eq(errno, ENOENT);
}

/* The map is built on first use, through a const source, and once. */
Test(source, line_map_is_built_once_on_first_use)
{
	const struct source *src = mem("a\nb\nc");
	const struct line_map *map;

	cr_assert_null(src->lines->starts);
	cr_assert_eq(source_line_number(src, 4), 3);
	map = source_lines(src);
	cr_assert_not_null(map->starts);
	cr_assert_eq(map->n, 3);
	cr_assert_eq(source_lines(src)->starts, map->starts);
}
