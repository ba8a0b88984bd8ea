/* registry.c - the table of emitters, run in this order by the driver. */
#include "config.h"

#include "emitter.h"

extern const struct emitter cfn_assets_emitter;
extern const struct emitter cfn_cluster_emitter, cfn_health_emitter, cfn_compute_emitter, cfn_pipeline_emitter;
extern const struct emitter packer_emitter, buildspec_emitter, makefile_emitter, scripts_emitter;

const struct emitter *const emitter_registry[] = {
	&cfn_assets_emitter,
	&cfn_cluster_emitter,
	&cfn_health_emitter,
	&cfn_compute_emitter,
	&cfn_pipeline_emitter,
	&packer_emitter,
	&buildspec_emitter,
	&makefile_emitter,
	&scripts_emitter,
	NULL, /* keeps the array non-empty; the driver stops at the first NULL */
};

const size_t emitter_registry_count = sizeof emitter_registry / sizeof emitter_registry[0] - 1;
