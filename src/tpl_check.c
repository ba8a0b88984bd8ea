/* tpl_check.c - resolving a template's paths and filters against the schema, and type-checking it. */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "diag.h"
#include "schema.h"
#include "strbuf.h"
#include "suggest.h"
#include "tpl_int.h"

const char *const tpl_filter_names[FILTER_COUNT] = {
#define X(name) #name,
	TPL_FILTERS(X)
#undef X
};

struct scope {
	const struct tpl_name *var;
	struct tpl_type type; /* TV_STRING or TV_OBJECT */
};

struct checker {
	struct tpl *tpl;
	struct arena *arena;
	struct diag_list *diags;
	struct scope *scopes;
	unsigned depth, alloc;
	unsigned expr_depth; /* of check_expr's recursion */
	int errors;
};

static int error(struct checker *c, struct tpl_span span, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int error(struct checker *c, struct tpl_span span, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_verror(c->diags, DIAG_TEMPLATE, tpl_loc(c->tpl, span), fmt, ap);
	va_end(ap);
	c->errors++;
	return -1;
}

static void did_you_mean(struct checker *c, const char *word, const char *const *cands, size_t n)
{
	const char *best = suggest_closest(word, cands, n);
	if (best)
		diag_hint(c->diags, "did you mean '%s'?", best);
}

static const struct schema_key *find_key(const struct schema_object *obj, const char *name, size_t len)
{
	size_t i;
	for (i = 0; i < obj->nkeys; i++)
		if (strlen(obj->keys[i].name) == len && !memcmp(obj->keys[i].name, name, len))
			return &obj->keys[i];
	return NULL;
}

static const char *type_name(const struct tpl_type *t)
{
	switch (t->kind) {
	case TV_STRING: return "a string";
	case TV_INT: return "an integer";
	case TV_BOOL: return "a boolean";
	case TV_STRING_LIST: return "a list of strings";
	case TV_OBJECT: return "an object";
	case TV_OBJECT_LIST: return "a list of objects";
	}
	return "?";
}

/* The path's text up to and including name: "cluster.name". */
static const char *path_text(struct checker *c, const struct tpl_name *path, const struct tpl_name *upto)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s;

	for (; path; path = path->next) {
		if (sb.len)
			strbuf_addch(&sb, '.');
		strbuf_add(&sb, path->text, path->len);
		if (path == upto)
			break;
	}
	s = arena_strndup(c->arena, sb.buf, sb.len);
	strbuf_release(&sb);
	return s;
}

/* Walk the rest of a path (from name on) through the schema object obj. */
static int walk(struct checker *c, struct tpl_expr *e, const struct tpl_name *name,
		const struct schema_object *obj)
{
	size_t offset = 0;
	const struct schema_key *key;
	const struct tpl_name *prev;

	e->type.kind = TV_OBJECT;
	e->type.object = obj;
	e->access = ACC_OBJECT;
	for (prev = NULL; name; prev = name, name = name->next) {
		if (e->type.kind != TV_OBJECT)
			return error(c, name->span, "'%s' is %s: it has no key '%.*s'",
				     path_text(c, e->path, prev), type_name(&e->type),
				     (int)name->len, name->text);
		if (!(key = find_key(obj, name->text, name->len))) {
			const char **cands = arena_array(c->arena, obj->nkeys, sizeof *cands);
			const char *word = arena_strndup(c->arena, name->text, name->len);
			size_t i;
			for (i = 0; i < obj->nkeys; i++)
				cands[i] = obj->keys[i].name;
			if (name == e->path)
				error(c, name->span, "unknown name '%s'", word);
			else
				error(c, name->span, "unknown key '%s' in '%s'", word, obj->path);
			did_you_mean(c, word, cands, obj->nkeys);
			return -1;
		}
		offset += key->offset;
		e->type.safe = false;
		switch (key->type) {
		case SCHEMA_STRING:
			e->type.kind = TV_STRING;
			e->access = ACC_IR_STRING;
			break;
		case SCHEMA_INT:
			e->type.kind = TV_INT;
			e->type.safe = true;
			e->access = ACC_IR_INT;
			break;
		case SCHEMA_BOOL:
			e->type.kind = TV_BOOL;
			e->type.safe = true;
			e->access = ACC_IR_BOOL;
			break;
		case SCHEMA_PRICE:
			e->type.kind = TV_STRING;
			e->type.safe = true; /* a canonical decimal */
			e->access = ACC_IR_PRICE;
			break;
		case SCHEMA_DURATION:
			e->type.kind = TV_INT;
			e->type.safe = true;
			e->access = ACC_IR_DURATION;
			break;
		case SCHEMA_STRING_LIST:
			e->type.kind = TV_STRING_LIST;
			e->access = ACC_IR_STRINGS;
			break;
		case SCHEMA_OBJECT:
			obj = key->object;
			e->type.kind = TV_OBJECT;
			e->type.object = obj;
			e->access = ACC_OBJECT;
			break;
		case SCHEMA_OBJECT_LIST:
		case SCHEMA_STRING_MAP: /* a list of (key, value) pairs: struct ir_string_map */
			e->type.kind = TV_OBJECT_LIST;
			e->type.object = key->object;
			e->access = ACC_IR_LIST;
			break;
		}
	}
	e->offset = offset;
	return 0;
}

static int resolve_path(struct checker *c, struct tpl_expr *e)
{
	const struct tpl_name *first = e->path;
	const char *word = arena_strndup(c->arena, first->text, first->len);
	const char *full = path_text(c, e->path, NULL);
	struct tpl *tpl = c->tpl;
	size_t i, best = 0, best_len = 0;
	unsigned d;

	for (d = c->depth; d-- > 0;) {
		const struct scope *s = &c->scopes[d];
		if (s->var->len != first->len || memcmp(s->var->text, first->text, first->len))
			continue;
		e->base = BASE_LOOP;
		e->slot = d;
		if (s->type.kind == TV_OBJECT)
			return walk(c, e, first->next, s->type.object);
		if (first->next)
			return error(c, first->next->span, "'%s' is a string: it has no key '%.*s'",
				     word, (int)first->next->len, first->next->text);
		e->type = s->type;
		e->access = ACC_ITEM_STRING;
		return 0;
	}
	/* A param: the longest declared name that is a prefix of the path. */
	for (i = 0; i < tpl->nparams; i++) {
		size_t n = strlen(tpl->params[i].name);
		if (!strncmp(full, tpl->params[i].name, n) && (full[n] == '\0' || full[n] == '.') && n > best_len) {
			best = i;
			best_len = n;
		}
	}
	if (best_len) {
		const struct tpl_param *param = &tpl->params[best];
		const struct tpl_name *rest = first;
		size_t seen = rest->len;
		while (seen < best_len) {
			rest = rest->next;
			seen += 1 + rest->len;
		}
		rest = rest->next;
		e->base = BASE_PARAM;
		e->slot = (unsigned)best;
		if (param->type.kind == TV_OBJECT)
			return walk(c, e, rest, param->type.object);
		if (rest)
			return error(c, rest->span, "'%s' is %s: it has no key '%.*s'",
				     param->name, type_name(&param->type), (int)rest->len, rest->text);
		e->type = param->type;
		e->access = ACC_VAR;
		return 0;
	}
	if (!c->tpl->root || !find_key(c->tpl->root, first->text, first->len)) {
		size_t n = 0, cap = (tpl->root ? tpl->root->nkeys : 0) + c->depth + tpl->nparams;
		const char **cands = arena_array(c->arena, cap + 1, sizeof *cands);
		for (i = 0; tpl->root && i < tpl->root->nkeys; i++)
			cands[n++] = tpl->root->keys[i].name;
		for (d = 0; d < c->depth; d++)
			cands[n++] = arena_strndup(c->arena, c->scopes[d].var->text, c->scopes[d].var->len);
		for (i = 0; i < tpl->nparams; i++)
			cands[n++] = tpl->params[i].name;
		error(c, first->span, "unknown name '%s'", word);
		did_you_mean(c, word, cands, n);
		return -1;
	}
	e->base = BASE_ROOT;
	return walk(c, e, first, c->tpl->root);
}

static bool same_text(const struct tpl_name *n, const char *s)
{
	return strlen(s) == n->len && !memcmp(s, n->text, n->len);
}

static int check_expr(struct checker *c, struct tpl_expr *e);

static int check_cond(struct checker *c, struct tpl_expr *e)
{
	if (check_expr(c, e))
		return -1;
	if (e->type.kind == TV_OBJECT)
		return error(c, e->span, "a condition cannot be an object");
	return 0;
}

static bool escaper(int f)
{
	return f == FILTER_json || f == FILTER_yaml || f == FILTER_hcl || f == FILTER_sh ||
	       f == FILTER_make || f == FILTER_recipe || f == FILTER_markdown;
}

static int check_filter(struct checker *c, struct tpl_expr *e)
{
	struct tpl_type in;
	const char *name = arena_strndup(c->arena, e->path->text, e->path->len);
	int f;

	if (check_expr(c, e->a))
		return -1;
	in = e->a->type;
	for (f = 0; f < FILTER_COUNT; f++)
		if (same_text(e->path, tpl_filter_names[f]))
			break;
	if (f == FILTER_COUNT) {
		error(c, e->span, "unknown filter '%s'", name);
		did_you_mean(c, name, tpl_filter_names, FILTER_COUNT);
		return -1;
	}
	e->filter = f;
	if (f == FILTER_default) {
		if (!e->b)
			return error(c, e->span, "filter 'default' needs a value: default(\"x\")");
		if (e->b->kind != EXPR_STRING && e->b->kind != EXPR_INT)
			return error(c, e->b->span, "the argument of 'default' must be a string or a number");
		if (check_expr(c, e->b))
			return -1;
		if (in.kind != e->b->type.kind || (in.kind != TV_STRING && in.kind != TV_INT))
			return error(c, e->b->span, "'default' of %s cannot be %s",
				     type_name(&in), type_name(&e->b->type));
		e->type = in;
		e->type.escaped = -1;
		return 0;
	}
	if (e->b)
		return error(c, e->b->span, "filter '%s' takes no argument", name);
	e->type = in;
	e->type.escaped = -1;
	if (escaper(f)) {
		if (in.kind == TV_OBJECT || in.kind == TV_OBJECT_LIST)
			return error(c, e->span, "filter '%s' cannot write %s; iterate with '{{#each}}'",
				     name, type_name(&in));
		e->type.kind = TV_STRING;
		e->type.safe = in.safe && (in.kind == TV_INT || in.kind == TV_BOOL);
		e->type.escaped = f;
		return 0;
	}
	if (in.kind != TV_STRING)
		return error(c, e->span, "filter '%s' needs a string, not %s", name, type_name(&in));
	/*
	 * cfnsub only turns "${" into "${!", which CloudFormation turns back
	 * before any shell or Make reads the text: x | sh | cfnsub stays sh.
	 */
	if (f == FILTER_cfnsub)
		e->type.escaped = in.escaped;
	if (f == FILTER_verbatim)
		e->type.escaped = f;
	return 0;
}

static int check_expr_at(struct checker *c, struct tpl_expr *e);

static int check_expr(struct checker *c, struct tpl_expr *e)
{
	int ret;

	if (c->expr_depth >= TPL_MAX_EXPR_DEPTH)
		return error(c, e->span, "expression nested deeper than %d levels", TPL_MAX_EXPR_DEPTH);
	c->expr_depth++;
	ret = check_expr_at(c, e);
	c->expr_depth--;
	return ret;
}

static int check_expr_at(struct checker *c, struct tpl_expr *e)
{
	switch (e->kind) {
	case EXPR_PATH:
		return resolve_path(c, e);
	case EXPR_META:
		if (!c->depth)
			return error(c, e->span, "'@%.*s' outside '{{#each}}'", (int)e->len, e->text);
		e->base = BASE_LOOP;
		e->slot = c->depth - 1;
		e->type.safe = true;
		if (e->len == 5 && !memcmp(e->text, "index", 5)) {
			e->type.kind = TV_INT;
			e->access = ACC_META_INDEX;
		} else {
			e->type.kind = TV_BOOL;
			e->access = e->text[0] == 'f' ? ACC_META_FIRST : ACC_META_LAST;
		}
		return 0;
	case EXPR_STRING:
		e->type.kind = TV_STRING;
		e->type.safe = true;
		return 0;
	case EXPR_INT:
		e->type.kind = TV_INT;
		e->type.safe = true;
		return 0;
	case EXPR_NOT:
		e->type.kind = TV_BOOL;
		e->type.safe = true;
		return check_cond(c, e->a);
	case EXPR_AND:
	case EXPR_OR:
		e->type.kind = TV_BOOL;
		e->type.safe = true;
		return check_cond(c, e->a) | check_cond(c, e->b);
	case EXPR_EQ:
	case EXPR_NE:
		e->type.kind = TV_BOOL;
		e->type.safe = true;
		if (check_expr(c, e->a) | check_expr(c, e->b))
			return -1;
		if (e->a->type.kind != e->b->type.kind ||
		    (e->a->type.kind != TV_STRING && e->a->type.kind != TV_INT && e->a->type.kind != TV_BOOL))
			return error(c, e->span, "cannot compare %s with %s",
				     type_name(&e->a->type), type_name(&e->b->type));
		return 0;
	case EXPR_FILTER:
		return check_filter(c, e);
	}
	return 0;
}

/* In a Makefile, does the line holding offset (with its continuations) start with a tab? */
static bool on_recipe_line(const struct source *src, size_t offset)
{
	const char *t = src->text;
	size_t start = offset;

	for (;;) {
		while (start > 0 && t[start - 1] != '\n')
			start--;
		/* A previous line ending in a backslash continues into this one. */
		if (start >= 2 && t[start - 2] == '\\') {
			start--;
			continue;
		}
		return t[start] == '\t';
	}
}

static const char *const context_filter[] = {
	[CTX_TEXT] = NULL, [CTX_SH] = "sh", [CTX_MAKE] = "make",
	[CTX_JSON] = "json", [CTX_YAML] = "yaml", [CTX_HCL] = "hcl",
	[CTX_MARKDOWN] = "markdown",
};

static int check_interp(struct checker *c, struct tpl_node *n)
{
	struct tpl_expr *e = n->expr;
	enum tpl_context ctx = c->tpl->context;
	int want = -1, also = -1;

	if (check_expr(c, e))
		return -1;
	if (e->type.kind == TV_OBJECT || e->type.kind == TV_OBJECT_LIST)
		return error(c, e->span, "cannot write %s; iterate with '{{#each}}' and write its keys",
			     type_name(&e->type));
	if (e->type.kind == TV_STRING_LIST && e->type.escaped < 0)
		return error(c, e->span, "a list of strings needs a filter to be written (json, yaml, hcl, sh or make)");
	if (ctx == CTX_TEXT || e->type.safe || e->type.escaped == FILTER_verbatim)
		return 0;
	switch (ctx) {
	case CTX_SH: want = FILTER_sh; break;
	case CTX_JSON: want = FILTER_json; break;
	case CTX_YAML: want = FILTER_yaml; also = FILTER_json; break;
	case CTX_HCL: want = FILTER_hcl; break;
	case CTX_MARKDOWN: want = FILTER_markdown; break;
	case CTX_MAKE:
		n->recipe_line = on_recipe_line(c->tpl->src, n->span.begin);
		want = n->recipe_line ? FILTER_recipe : FILTER_make;
		break;
	case CTX_TEXT: break;
	}
	if (e->type.escaped == want || (also >= 0 && e->type.escaped == also))
		return 0;
	if (e->type.escaped >= 0)
		error(c, e->span, "filter '%s' does not make a value safe in a %s%s template",
		      tpl_filter_names[e->type.escaped], context_filter[ctx],
		      n->recipe_line ? " recipe line of a" : "");
	else
		error(c, e->span, "unescaped value in a %s template", context_filter[ctx]);
	if (ctx == CTX_MAKE && n->recipe_line)
		diag_hint(c->diags, "a recipe line is shell inside Make: end it with '| sh | recipe'");
	else if (ctx == CTX_MAKE)
		diag_hint(c->diags, "end it with '| make' ('| sh | make' when a recipe passes it to the shell)");
	else
		diag_hint(c->diags, "end it with '| %s'", tpl_filter_names[want]);
	return -1;
}

static int check_nodes(struct checker *c, struct tpl_node *n)
{
	int ret = 0;

	for (; n; n = n->next) {
		switch (n->kind) {
		case NODE_TEXT:
			break;
		case NODE_INTERP:
			ret |= check_interp(c, n);
			break;
		case NODE_IF:
			ret |= check_cond(c, n->expr);
			ret |= check_nodes(c, n->body);
			ret |= check_nodes(c, n->orelse);
			break;
		case NODE_EACH: {
			struct scope *s;
			if (check_expr(c, n->expr)) {
				ret = -1;
				break;
			}
			if (n->expr->type.kind != TV_STRING_LIST && n->expr->type.kind != TV_OBJECT_LIST) {
				ret = error(c, n->expr->span, "'{{#each}}' needs a list, not %s",
					    type_name(&n->expr->type));
				break;
			}
			if (c->depth == c->alloc) {
				struct scope *grown;
				c->alloc = c->alloc ? 2 * c->alloc : 8;
				grown = arena_array(c->arena, c->alloc, sizeof *grown);
				if (c->depth)
					memcpy(grown, c->scopes, c->depth * sizeof *grown);
				c->scopes = grown;
			}
			s = &c->scopes[c->depth];
			memset(s, 0, sizeof *s);
			s->var = n->var;
			s->type.escaped = -1;
			s->type.kind = n->expr->type.kind == TV_STRING_LIST ? TV_STRING : TV_OBJECT;
			s->type.object = n->expr->type.object;
			n->depth = c->depth++;
			if (c->depth > c->tpl->max_depth)
				c->tpl->max_depth = c->depth;
			ret |= check_nodes(c, n->body);
			c->depth--;
			break;
		}
		}
	}
	return ret;
}

int tpl_check(struct tpl *tpl, struct arena *arena, struct diag_list *diags)
{
	struct checker c = { 0 };

	c.tpl = tpl;
	c.arena = arena;
	c.diags = diags;
	check_nodes(&c, tpl->body);
	return c.errors ? -1 : 0;
}
