/*
 * tpl_int.h - what the template engine's files share (not for other callers).
 *
 * The pipeline of one template:
 *	grammar/tpl_lex.re   tpl_scan(): source -> token array
 *	tpl_compile.c        whitespace trimming, block balance, then the parser
 *	grammar/tpl_parse.y  tokens -> syntax tree (actions call tpl_ast.c)
 *	tpl_check.c          resolve paths and filters, type and context checks
 *	tpl_render.c         tree + IR -> bytes
 * Everything lives in the compilation arena.
 */
#ifndef ECSGEN_TPL_INT_H
#define ECSGEN_TPL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "source.h"

struct arena;
struct diag_list;
struct schema_object;

/* A byte span in the template being parsed: bison's location type. */
struct tpl_span {
	size_t begin, end;
};

/* The value of a token: names, string literals (unescaped), numbers. */
struct tpl_tokval {
	const char *text;
	size_t len;
	long long num;
};

/*
 * How deep one expression may nest (filters in a chain, 'and'/'or', 'not',
 * comparisons): the checker and the renderer recurse on it, so a longer
 * one is a located error, not a stack overflow.
 */
enum { TPL_MAX_EXPR_DEPTH = 64 };

/* How deep {{#if}} and {{#each}} blocks may nest (the parser, checker and
 * renderer recurse on them; bison's own stack limit read 'memory exhausted'). */
enum { TPL_MAX_BLOCK_DEPTH = 64 };

/* Pseudo tokens the scanner produces that the parser never sees. */
enum {
	TPL_PSEUDO_COMMENT = 1000,
	TPL_PSEUDO_RAW_OPEN,
	TPL_PSEUDO_RAW_CLOSE,
};

struct tpl_token {
	int kind;            /* a bison token kind or TPL_PSEUDO_* */
	struct tpl_span span;
	struct tpl_tokval val;
	bool trim_before;    /* {{~ */
	bool trim_after;     /* ~}} */
};

struct tpl_scanner {
	struct source *src;
	struct arena *arena;
	struct diag_list *diags;
	struct tpl_token *tokens;
	size_t n, alloc;
	unsigned errors;
};

/* Scan all of src into s->tokens (grammar/tpl_lex.re); errors go to diags. */
void tpl_scan(struct tpl_scanner *s);

/* ---- the syntax tree ---- */

enum tpl_vtype {
	TV_STRING,
	TV_INT,
	TV_BOOL,
	TV_STRING_LIST,
	TV_OBJECT,
	TV_OBJECT_LIST,
};

/* How a resolved path reads its value at render time. */
enum tpl_access {
	ACC_IR_STRING,   /* struct ir_string */
	ACC_IR_INT,      /* struct ir_int */
	ACC_IR_BOOL,     /* struct ir_bool */
	ACC_IR_PRICE,    /* struct ir_price: its text */
	ACC_IR_DURATION, /* struct ir_duration: its seconds */
	ACC_IR_STRINGS,  /* struct ir_strings */
	ACC_IR_LIST,     /* IR_LIST(T) of schema objects */
	ACC_OBJECT,      /* an inline struct: the pointer itself */
	ACC_ITEM_STRING, /* a string-list loop variable */
	ACC_VAR,         /* a param: the tpl_var passed in */
	ACC_META_INDEX,
	ACC_META_FIRST,
	ACC_META_LAST,
};

enum tpl_base {
	BASE_ROOT,
	BASE_LOOP,  /* slot = loop depth */
	BASE_PARAM, /* slot = param index */
};

struct tpl_type {
	enum tpl_vtype kind;
	const struct schema_object *object; /* TV_OBJECT, TV_OBJECT_LIST */
	bool safe;    /* digits, true/false or template text: fine in any context */
	int escaped;  /* the last escaping filter applied (enum tpl_filter_id), or -1 */
};

/* The filters: id, name, what it needs. */
#define TPL_FILTERS(X) \
	X(json) X(yaml) X(hcl) X(sh) X(make) X(recipe) X(cfnsub) X(markdown) \
	X(upper) X(lower) X(default) X(verbatim)

enum tpl_filter_id {
#define X(name) FILTER_##name,
	TPL_FILTERS(X)
#undef X
	FILTER_COUNT
};

extern const char *const tpl_filter_names[FILTER_COUNT];

enum tpl_expr_kind {
	EXPR_PATH,
	EXPR_META,    /* @index @first @last */
	EXPR_STRING,
	EXPR_INT,
	EXPR_NOT,
	EXPR_AND,
	EXPR_OR,
	EXPR_EQ,
	EXPR_NE,
	EXPR_FILTER,  /* a | name(arg) */
};

struct tpl_name {
	const char *text;
	size_t len;
	struct tpl_span span;
	struct tpl_name *next;
};

struct tpl_expr {
	enum tpl_expr_kind kind;
	struct tpl_span span;
	struct tpl_expr *a, *b;     /* operands; FILTER: a = input, b = argument */
	struct tpl_name *path;      /* PATH; FILTER: the filter's name */
	const char *text;           /* STRING, META */
	size_t len;
	long long num;              /* INT */
	/* filled by tpl_check.c */
	struct tpl_type type;
	enum tpl_base base;
	unsigned slot;
	size_t offset;              /* of the leaf from the base */
	enum tpl_access access;
	int filter;                 /* enum tpl_filter_id */
};

enum tpl_node_kind {
	NODE_TEXT,
	NODE_INTERP,
	NODE_IF,
	NODE_EACH,
};

struct tpl_node {
	enum tpl_node_kind kind;
	struct tpl_span span;
	struct tpl_node *next;
	const char *text;           /* TEXT */
	size_t len;
	struct tpl_expr *expr;      /* INTERP value, IF condition, EACH list */
	struct tpl_node *body;      /* IF then, EACH body */
	struct tpl_node *orelse;    /* IF else */
	struct tpl_name *var;       /* EACH variable */
	bool recipe_line;           /* INTERP on a Make recipe line */
	unsigned depth;             /* EACH: its loop slot */
};

struct tpl_nodes {
	struct tpl_node *head, *tail;
};

enum tpl_context {
	CTX_TEXT,
	CTX_SH,
	CTX_MAKE,
	CTX_JSON,
	CTX_YAML,
	CTX_HCL,
	CTX_MARKDOWN,
};

struct tpl_param {
	const char *name;           /* dotted: "stack.name" */
	struct tpl_span span;
	struct tpl_type type;
	const char *object_path;    /* TV_OBJECT: the schema path as written */
};

struct tpl {
	struct source *src;
	const struct schema_object *root;
	struct tpl_node *body;
	enum tpl_context context;
	struct tpl_span context_span;
	bool context_set;
	struct tpl_param *params;
	size_t nparams, params_alloc;
	unsigned max_depth;         /* deepest #each nesting */
};

/* The parser's state (the %parse-param of grammar/tpl_parse.y). */
struct tpl_parser {
	struct tpl *tpl;
	struct arena *arena;
	struct diag_list *diags;
	struct tpl_token *tokens;
	size_t n, next;
	unsigned errors;
};

int tpl_parse(struct tpl_parser *p);

/* Constructors the grammar actions call (tpl_ast.c). */
struct tpl_nodes tpl_nodes_empty(void);
struct tpl_nodes tpl_nodes_append(struct tpl_nodes list, struct tpl_node *node);
struct tpl_node *tpl_node_text(struct tpl_parser *p, struct tpl_span span, struct tpl_tokval v);
struct tpl_node *tpl_node_interp(struct tpl_parser *p, struct tpl_span span, struct tpl_expr *e);
struct tpl_node *tpl_node_if(struct tpl_parser *p, struct tpl_span span, struct tpl_expr *cond,
			     struct tpl_nodes then, struct tpl_nodes orelse);
struct tpl_node *tpl_node_each(struct tpl_parser *p, struct tpl_span span, struct tpl_name *list,
			       struct tpl_span list_span, struct tpl_tokval var, struct tpl_span var_span,
			       struct tpl_nodes body);
struct tpl_node *tpl_pragma_context(struct tpl_parser *p, struct tpl_span span, struct tpl_tokval name);
struct tpl_node *tpl_pragma_param(struct tpl_parser *p, struct tpl_span span, struct tpl_name *name,
				  struct tpl_name *type, bool list);
struct tpl_name *tpl_name_new(struct tpl_parser *p, struct tpl_span span, struct tpl_tokval v);
struct tpl_name *tpl_name_append(struct tpl_name *path, struct tpl_name *next);
struct tpl_expr *tpl_expr_path(struct tpl_parser *p, struct tpl_span span, struct tpl_name *path);
struct tpl_expr *tpl_expr_meta(struct tpl_parser *p, struct tpl_span span, struct tpl_tokval v);
struct tpl_expr *tpl_expr_string(struct tpl_parser *p, struct tpl_span span, struct tpl_tokval v);
struct tpl_expr *tpl_expr_int(struct tpl_parser *p, struct tpl_span span, struct tpl_tokval v);
struct tpl_expr *tpl_expr_op(struct tpl_parser *p, struct tpl_span span, enum tpl_expr_kind kind,
			     struct tpl_expr *a, struct tpl_expr *b);
struct tpl_expr *tpl_expr_filter(struct tpl_parser *p, struct tpl_span span, struct tpl_expr *input,
				 struct tpl_name *name, struct tpl_expr *arg);
void tpl_syntax_error(struct tpl_parser *p, struct tpl_span span, const char *msg);

struct loc tpl_loc(const struct tpl *tpl, struct tpl_span span);

/* Resolve and type-check the tree; 0 or -1 after diagnostics (tpl_check.c). */
int tpl_check(struct tpl *tpl, struct arena *arena, struct diag_list *diags);


/* One extra variable (tpl_vars_*). */
struct tpl_var {
	const char *name;
	enum tpl_vtype type;
	const char *str;
	long long num;
	const char *const *strs;
	size_t n;
	const char *object_path;
	const void *object;
};

struct tpl_vars {
	struct arena *arena;
	struct tpl_var *items;
	size_t n, alloc;
};

/* The embedded files (templates/embedded.c, written by templates/embed.sh). */
struct tpl_embedded {
	const char *name;  /* relative to templates/ */
	const unsigned char *data;
	size_t len;
};

extern const struct tpl_embedded tpl_embedded_files[];
extern const size_t tpl_embedded_count;

#endif
