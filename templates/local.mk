## templates/: every file here is embedded in the binary (templates/embed.sh
## writes templates/embedded.c in the build folder).  *.tpl files are
## templates (src/tpl.h), the rest raw assets such as functions/*.py.
##
## The list of files is not written down here: embedded.c is rebuilt on
## every make, but only replaced when its bytes change, so adding a template
## needs no edit to this file and a no-op build relinks nothing.
nodist_libecsgen_a_SOURCES = templates/embedded.c
CLEANFILES += templates/embedded.c templates/embedded.c.tmp
EXTRA_DIST += templates/embed.sh

templates/embedded.c: tpl-embed-force
	@$(MKDIR_P) templates
	$(AM_V_GEN)$(SHELL) $(srcdir)/templates/embed.sh $(srcdir)/templates \
		> templates/embedded.c.tmp && \
	if cmp -s templates/embedded.c.tmp templates/embedded.c; then \
		rm -f templates/embedded.c.tmp; \
	else \
		mv -f templates/embedded.c.tmp templates/embedded.c; \
	fi
tpl-embed-force:
.PHONY: tpl-embed-force

# Ship what embed.sh embeds (and the folder's notes), whatever files exist.
dist-hook: tpl-dist-hook
tpl-dist-hook:
	@for f in `$(SHELL) $(srcdir)/templates/embed.sh --list $(srcdir)/templates` \
	    `cd $(srcdir)/templates && ls *.md 2>/dev/null`; do \
		$(MKDIR_P) `dirname "$(distdir)/templates/$$f"` && \
		cp -p "$(srcdir)/templates/$$f" "$(distdir)/templates/$$f" || exit 1; \
	done
.PHONY: tpl-dist-hook
