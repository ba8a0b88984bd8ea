/* tpl_parse.y - the template grammar (bison); actions only call tpl_ast.c constructors. */
%define api.pure full
%define api.prefix {tpl_}
%define api.token.prefix {TOK_}
%define api.location.type {struct tpl_span}
%define parse.error detailed
%locations
%expect 0
%param {struct tpl_parser *p}

%code requires {
#include "tpl_int.h"
}

%code provides {
int tpl_lex(TPL_STYPE *lval, TPL_LTYPE *lloc, struct tpl_parser *p);
}

%code {
#define YYLLOC_DEFAULT(cur, rhs, n)					\
	do {								\
		if (n) {						\
			(cur).begin = YYRHSLOC(rhs, 1).begin;		\
			(cur).end = YYRHSLOC(rhs, n).end;		\
		} else {						\
			(cur).begin = (cur).end = YYRHSLOC(rhs, 0).end;	\
		}							\
	} while (0)

static void tpl_error(TPL_LTYPE *lloc, struct tpl_parser *p, const char *msg)
{
	tpl_syntax_error(p, *lloc, msg);
}
}

%union {
	struct tpl_tokval tok;
	struct tpl_name *name;
	struct tpl_expr *expr;
	struct tpl_node *node;
	struct tpl_nodes nodes;
}

%token <tok> TEXT "text" IDENT "name" STRING "string" INT "number"
%token <tok> META "'@index', '@first' or '@last'"
%token OPEN "'{{'" CLOSE "'}}'"
%token OPEN_IF "'{{#if'" OPEN_EACH "'{{#each'" OPEN_ELSE "'{{else'"
%token OPEN_ENDIF "'{{/if'" OPEN_ENDEACH "'{{/each'"
%token OPEN_CONTEXT "'{{% context'" OPEN_PARAM "'{{% param'"
%token AS "'as'" AND "'and'" OR "'or'" NOT "'not'"
%token DOT "'.'" PIPE "'|'" LPAREN "'('" RPAREN "')'" COLON "':'"
%token LBRACK "'['" RBRACK "']'" EQ "'=='" NE "'!='"

%type <nodes> items else_part
%type <node> item
%type <name> path
%type <expr> pipe expr and_expr not_expr cmp primary

/* Everything lives in the compilation arena: nothing to free. */
%destructor { (void)$$; } <tok> <name> <expr> <node> <nodes>

%%

template:
	items			{ p->tpl->body = $1.head; }
	;

items:
	%empty			{ $$ = tpl_nodes_empty(); }
	| items item		{ $$ = tpl_nodes_append($1, $2); }
	;

item:
	TEXT			{ $$ = tpl_node_text(p, @$, $1); }
	| OPEN pipe CLOSE	{ $$ = tpl_node_interp(p, @$, $2); }
	| OPEN_IF expr CLOSE items else_part OPEN_ENDIF CLOSE
				{ $$ = tpl_node_if(p, @$, $2, $4, $5); }
	| OPEN_EACH path AS IDENT CLOSE items OPEN_ENDEACH CLOSE
				{ $$ = tpl_node_each(p, @$, $2, @2, $4, @4, $6); }
	| OPEN_CONTEXT IDENT CLOSE
				{ $$ = tpl_pragma_context(p, @2, $2); }
	| OPEN_PARAM path COLON path CLOSE
				{ $$ = tpl_pragma_param(p, @2, $2, $4, false); }
	| OPEN_PARAM path COLON path LBRACK RBRACK CLOSE
				{ $$ = tpl_pragma_param(p, @2, $2, $4, true); }
	;

else_part:
	%empty			{ $$ = tpl_nodes_empty(); }
	| OPEN_ELSE CLOSE items	{ $$ = $3; }
	;

pipe:
	expr
	| pipe PIPE IDENT	{ $$ = tpl_expr_filter(p, @3, $1, tpl_name_new(p, @3, $3), NULL); }
	| pipe PIPE IDENT LPAREN expr RPAREN
				{ $$ = tpl_expr_filter(p, @3, $1, tpl_name_new(p, @3, $3), $5); }
	;

expr:
	and_expr
	| expr OR and_expr	{ $$ = tpl_expr_op(p, @$, EXPR_OR, $1, $3); }
	;

and_expr:
	not_expr
	| and_expr AND not_expr	{ $$ = tpl_expr_op(p, @$, EXPR_AND, $1, $3); }
	;

not_expr:
	cmp
	| NOT not_expr		{ $$ = tpl_expr_op(p, @$, EXPR_NOT, $2, NULL); }
	;

cmp:
	primary
	| primary EQ primary	{ $$ = tpl_expr_op(p, @$, EXPR_EQ, $1, $3); }
	| primary NE primary	{ $$ = tpl_expr_op(p, @$, EXPR_NE, $1, $3); }
	;

primary:
	path			{ $$ = tpl_expr_path(p, @$, $1); }
	| META			{ $$ = tpl_expr_meta(p, @$, $1); }
	| STRING		{ $$ = tpl_expr_string(p, @$, $1); }
	| INT			{ $$ = tpl_expr_int(p, @$, $1); }
	| LPAREN expr RPAREN	{ $$ = $2; }
	;

path:
	IDENT			{ $$ = tpl_name_new(p, @$, $1); }
	| path DOT IDENT	{ $$ = tpl_name_append($1, tpl_name_new(p, @3, $3)); }
	;
