/* source.c - loading input texts and mapping offsets to lines and columns. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "source.h"
#include "strbuf.h"
#include "xalloc.h"

/* The bytes a break can start with, tested inline before the call: most bytes are none. */
#define MAY_BREAK(c) ((c) == '\n' || (c) == '\r' || (unsigned char)(c) == 0xC2 || (unsigned char)(c) == 0xE2)

/*
 * Bytes of the line break at text[i], 0 if none: the breaks libyaml counts
 * lines by (CR LF, LF, a lone CR, NEL, LS, PS), so a line number from a
 * libyaml mark and one from this map agree even on a CR-only file.
 */
static size_t break_at(const char *text, size_t len, size_t i)
{
	const unsigned char *t = (const unsigned char *)text + i;
	size_t left = len - i;

	if (t[0] == '\n')
		return 1;
	if (t[0] == '\r')
		return left >= 2 && t[1] == '\n' ? 2 : 1;
	if (t[0] == 0xC2 && left >= 2 && t[1] == 0x85)
		return 2;
	if (t[0] == 0xE2 && left >= 3 && t[1] == 0x80 && (t[2] == 0xA8 || t[2] == 0xA9))
		return 3;
	return 0;
}

/*
 * The line map: one pass counts the breaks, a second records where each
 * line starts.  Built on the first lookup, since most sources (the
 * templates) are never located at all and a scan costs more than the rest
 * of their compile; the map is the source's one cache, behind a pointer,
 * so a const source is never cast to fill it.
 */
const struct line_map *source_lines(const struct source *src)
{
	struct line_map *map = src->lines;
	size_t i, n = 1, w;
	size_t *starts;

	if (map->starts)
		return map;
	for (i = 0; i < src->len; i += w ? w : 1)
		if ((w = MAY_BREAK(src->text[i]) ? break_at(src->text, src->len, i) : 0))
			n++;
	starts = arena_array(src->arena, n, sizeof *starts);
	n = 0;
	starts[n++] = 0;
	for (i = 0; i < src->len; i += w ? w : 1)
		if ((w = MAY_BREAK(src->text[i]) ? break_at(src->text, src->len, i) : 0))
			starts[n++] = i + w;
	map->starts = starts;
	map->n = n;
	return map;
}

/* A source over text the caller keeps alive as long as the arena: not copied. */
static struct source *source_over(struct arena *arena, const char *name, const char *text, size_t len)
{
	struct source *src = arena_alloc(arena, sizeof *src);
	src->arena = arena;
	src->name = arena_strdup(arena, name);
	src->text = text;
	src->len = len;
	src->lines = arena_alloc(arena, sizeof *src->lines);
	return src;
}

struct source *source_from_memory(struct arena *arena, const char *name,
				  const char *text, size_t len)
{
	return source_over(arena, name, arena_strndup(arena, text, len), len);
}

struct source *source_from_static(struct arena *arena, const char *name,
				  const char *text, size_t len)
{
	return source_over(arena, name, text, len);
}

struct source *source_alias_view(struct arena *arena, const struct source *base, struct loc alias)
{
	struct source *view = arena_alloc(arena, sizeof *view);

	/* A view of a view is a view of the file: the alias written last (outermost) is where a diagnostic goes. */
	while (base->base)
		base = base->base;
	*view = *base;
	view->base = base;
	view->alias = alias;
	return view;
}

/*
 * A regular file named by path is read straight into the arena at its
 * fstat size (one copy of the text, one read for all of it); stdin, a
 * pipe, or a file whose size changes while it is read goes through a
 * growing buffer and is copied in at the end.
 */
struct source *source_read_file(struct arena *arena, const char *path,
				const char *display_name, size_t max_bytes)
{
	struct strbuf sb = STRBUF_INIT;
	struct source *src;
	struct stat st;
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	int saved;

	if (fd < 0)
		return NULL;
	if (fd != 0 && !fstat(fd, &st) && S_ISREG(st.st_mode) && (size_t)st.st_size <= max_bytes) {
		size_t size = (size_t)st.st_size, got = 0;
		char *text = arena_alloc_raw(arena, size + 1);
		char probe;
		ssize_t n = 0;

		while (got < size) {
			n = read(fd, text + got, size - got);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			got += (size_t)n;
		}
		if (got == size) {
			do
				n = read(fd, &probe, 1);
			while (n < 0 && errno == EINTR);
			if (n == 0) {
				text[size] = '\0';
				close(fd);
				return source_over(arena, display_name, text, size);
			}
		}
		if (n < 0)
			goto fail;
		/* Shorter or longer than fstat said: start again, from the beginning. */
		if (lseek(fd, 0, SEEK_SET) < 0)
			goto fail;
	}
	for (;;) {
		ssize_t n;
		strbuf_grow(&sb, 8192);
		n = read(fd, sb.buf + sb.len, sb.alloc - sb.len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		strbuf_setlen(&sb, sb.len + (size_t)n);
		if (sb.len > max_bytes) {
			errno = EFBIG;
			goto fail;
		}
	}
	if (fd != 0)
		close(fd);
	src = source_from_memory(arena, display_name, sb.buf, sb.len);
	strbuf_release(&sb);
	return src;
fail:
	saved = errno;
	if (fd != 0)
		close(fd);
	strbuf_release(&sb);
	errno = saved;
	return NULL;
}

struct loc loc_make(const struct source *src, size_t offset, size_t length)
{
	struct loc loc = { src, (uint32_t)offset, (uint32_t)length };
	return loc;
}

struct loc loc_none(void)
{
	struct loc loc = { NULL, 0, 0 };
	return loc;
}

bool loc_is_set(struct loc loc)
{
	return loc.src != NULL;
}

/* Index of the line holding offset (binary search in the line map). */
static size_t line_index(const struct source *src, size_t offset)
{
	const struct line_map *map = source_lines(src);
	size_t lo = 0, hi = map->n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (map->starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

struct position source_locate(const struct source *src, size_t offset)
{
	struct position pos;
	size_t line, i;

	if (offset > src->len)
		offset = src->len;
	line = line_index(src, offset);
	pos.line = (unsigned)line + 1;
	pos.column = 1;
	for (i = src->lines->starts[line]; i < offset; i++)
		if (((unsigned char)src->text[i] & 0xC0) != 0x80)
			pos.column++;
	return pos;
}

unsigned source_line_number(const struct source *src, size_t offset)
{
	if (offset > src->len)
		offset = src->len;
	return (unsigned)line_index(src, offset) + 1;
}

const char *source_line(const struct source *src, size_t offset, size_t *len)
{
	size_t line, start, end;
	if (offset > src->len)
		offset = src->len;
	line = line_index(src, offset);
	start = src->lines->starts[line];
	end = start;
	while (end < src->len && !break_at(src->text, src->len, end))
		end++;
	*len = end - start;
	return src->text + start;
}
