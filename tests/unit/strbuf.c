/* strbuf.c - unit tests of the growable buffer (src/strbuf.c). */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

Test(strbuf, empty_buffer_is_a_valid_string)
{
	struct strbuf sb = STRBUF_INIT, sb2;

	cr_assert_not_null(sb.buf);
	cr_assert_str_eq(sb.buf, "");
	cr_assert_eq(sb.len, 0);
	strbuf_init(&sb2);
	cr_assert_str_eq(sb2.buf, "");
	strbuf_release(&sb);
	cr_assert_str_eq(sb.buf, "");
	strbuf_reset(&sb);
	strbuf_setlen(&sb, 0);
	cr_assert_str_eq(sb.buf, "");
}

Test(strbuf, appending_keeps_the_nul)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "abc");
	strbuf_addch(&sb, 'd');
	strbuf_add(&sb, "efgh", 2);
	strbuf_add(&sb, "ignored", 0);
	strbuf_addchars(&sb, '-', 3);
	strbuf_addf(&sb, "%d:%s", 42, "x");
	cr_assert_str_eq(sb.buf, "abcdef---42:x");
	cr_assert_eq(sb.len, strlen("abcdef---42:x"));
	cr_assert_eq(sb.buf[sb.len], '\0');
	strbuf_release(&sb);
}

Test(strbuf, embedded_nul_bytes_are_counted)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_add(&sb, "a\0b", 3);
	cr_assert_eq(sb.len, 3);
	cr_assert_eq(memcmp(sb.buf, "a\0b", 4), 0);
	strbuf_release(&sb);
}

Test(strbuf, grows_past_many_reallocations)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < 100000; i++)
		strbuf_addch(&sb, 'a' + (int)(i % 26));
	cr_assert_eq(sb.len, 100000);
	cr_assert_geq(sb.alloc, sb.len + 1);
	for (i = 0; i < 100000; i++)
		cr_assert_eq(sb.buf[i], 'a' + (int)(i % 26));
	cr_assert_eq(sb.buf[sb.len], '\0');
	strbuf_addf(&sb, "%0*d", 70000, 7);
	cr_assert_eq(sb.len, 170000);
	cr_assert_eq(sb.buf[sb.len - 1], '7');
	strbuf_release(&sb);
}

Test(strbuf, addf_with_empty_result)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s", "");
	cr_assert_eq(sb.len, 0);
	cr_assert_str_eq(sb.buf, "");
	strbuf_release(&sb);
}

Test(strbuf, setlen_and_reset)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "hello world");
	strbuf_setlen(&sb, 5);
	cr_assert_str_eq(sb.buf, "hello");
	cr_assert_eq(sb.len, 5);
	strbuf_reset(&sb);
	cr_assert_str_eq(sb.buf, "");
	cr_assert_eq(sb.len, 0);
	strbuf_addstr(&sb, "again");
	cr_assert_str_eq(sb.buf, "again");
	strbuf_release(&sb);
}

Test(strbuf, detach_hands_over_the_bytes)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = 99;
	char *p;

	strbuf_addstr(&sb, "owned");
	p = strbuf_detach(&sb, &len);
	cr_assert_str_eq(p, "owned");
	cr_assert_eq(len, 5);
	cr_assert_str_eq(sb.buf, "");
	cr_assert_eq(sb.len, 0);
	cr_assert_eq(sb.alloc, 0);
	free(p);

	/* An empty buffer still detaches to freeable memory. */
	p = strbuf_detach(&sb, &len);
	cr_assert_str_eq(p, "");
	cr_assert_eq(len, 0);
	free(p);
	p = strbuf_detach(&sb, NULL);
	free(p);
}

Test(strbuf, grow_reserves_without_changing_contents)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_grow(&sb, 1000);
	cr_assert_geq(sb.alloc, 1001);
	cr_assert_eq(sb.len, 0);
	cr_assert_str_eq(sb.buf, "");
	strbuf_addstr(&sb, "x");
	strbuf_grow(&sb, 5000);
	cr_assert_str_eq(sb.buf, "x");
	strbuf_release(&sb);
}

/*
 * strbuf_vaddf formats into the room there is, or into a 256-byte stack
 * buffer when the room is smaller: every path, and each side of 256.
 */
Test(strbuf, addf_every_room_and_length)
{
	static const size_t lengths[] = { 1, 100, 254, 255, 256, 257, 1000, 70000 };
	static const size_t rooms[] = { 0, 1, 10, 255, 256, 257, 5000 };
	size_t i, j, k;

	for (i = 0; i < sizeof lengths / sizeof *lengths; i++)
		for (j = 0; j < sizeof rooms / sizeof *rooms; j++) {
			struct strbuf sb = STRBUF_INIT;
			size_t len = lengths[i];
			char *want = malloc(len + 3);

			cr_assert_not_null(want);
			memset(want, 'x', len);
			strbuf_addstr(&sb, "ab");
			/* Room exactly rooms[j]: alloc - len counts the NUL's byte too. */
			if (sb.alloc - sb.len < rooms[j] + 1)
				strbuf_grow(&sb, rooms[j]);
			strbuf_addf(&sb, "%.*s", (int)len, want);
			cr_assert_eq(sb.len, len + 2, "length %zu, room %zu", len, rooms[j]);
			cr_assert_eq(sb.buf[sb.len], '\0');
			cr_assert(!memcmp(sb.buf, "ab", 2));
			for (k = 0; k < len; k++)
				cr_assert_eq(sb.buf[2 + k], 'x', "length %zu, room %zu, byte %zu", len, rooms[j], k);
			free(want);
			strbuf_release(&sb);
		}
}
