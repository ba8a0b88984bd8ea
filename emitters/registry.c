/*
 * registry.c - the table of outputs: every file ecsgen writes, in the order
 * the driver makes them (see emitter.h).
 */
#include "config.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "emitter.h"

const struct emitter emitter_registry[] = {
	/* path, mode, template, vars, build, description, scope */
	{ "cloudformation/assets.json", 0644, NULL, NULL, cfn_assets_build,
	  "the assets stack, `<cluster>-assets`, deployed first and inline: one private bucket (encrypted, versioned, TLS only) that every other template is uploaded to under its SHA-256 and deployed from with `--template-url` (CloudFormation takes 1 MB that way, 51,200 bytes inline)",
	  EMIT_CLUSTER },
	{ "cloudformation/cluster.json", 0644, NULL, NULL, cfn_cluster_build,
	  "the cluster stack, `<cluster>-cluster`: the ECS cluster, the badge security groups (exported as `<cluster>-cluster:ALBBadgeSg` etc. like the original), the node security group, the instance role, the compute service role, and the lifecycle functions (capacity metric, scaler, drainer, cleanup)",
	  EMIT_CLUSTER },
	{ "cloudformation/health.json", 0644, NULL, NULL, cfn_health_build,
	  "the health stack, `<cluster>-health`: the smoke-test task definition and its log group",
	  EMIT_CLUSTER },
	{ "cloudformation/compute.json", 0644, NULL, NULL, cfn_compute_build,
	  "one compute stack per version, `<cluster>-compute-<VERSION>`, with a `Status` parameter: launch templates (IMDSv2, encrypted gp3), the spot fleets as EC2 Fleets, auto scaling groups",
	  EMIT_CLUSTER },
	{ "cloudformation/pipeline.json", 0644, NULL, NULL, cfn_pipeline_build,
	  "the pipeline stack, `<cluster>-pipeline`: CodePipeline with a GitHub source (a CodeConnections connection, or with `SOURCE=token` a token in Secrets Manager), the AMI bake and the deploy, their CodeBuild projects and roles",
	  EMIT_PIPELINE },
	{ "README.md", 0644, "README.md.tpl", readme_vars, NULL,
	  "for reviewing a change: each stack's resources by type, its parameters and exports, a Mermaid diagram of how the stacks meet, the deploy lifecycle, and each spot fleet's spend ceiling",
	  EMIT_CLUSTER },
	{ "packer/ami.pkr.hcl", 0644, "packer/ami.pkr.hcl.tpl", packer_vars, NULL,
	  "the node image, baked from the ECS-optimized Amazon Linux 2023 image (Packer 1.6.6 and current Packer both accept it)",
	  EMIT_CLUSTER },
	{ "packer/plugins.pkr.hcl", 0644, "packer/plugins.pkr.hcl.tpl", NULL, NULL,
	  "the `required_plugins` block current Packer needs for `packer init` (Packer 1.6.6 is given only ami.pkr.hcl)",
	  EMIT_CLUSTER },
	{ "packer/provision.sh", 0644, "packer/provision.sh.tpl", NULL, NULL,
	  "the image's provisioner script",
	  EMIT_CLUSTER },
	{ "buildspec.yml", 0644, "buildspec.yml.tpl", buildspec_vars, NULL,
	  "the pipeline's deploy step for CodeBuild: `make deploy` (with environments, of the stage's `ENVIRONMENT`)",
	  EMIT_PIPELINE },
	{ "buildspec-ami.yml", 0644, "buildspec-ami.yml.tpl", buildspec_vars, NULL,
	  "the pipeline's image-bake step for CodeBuild: `make ami`",
	  EMIT_PIPELINE },
	{ "Makefile", 0644, "Makefile.tpl", makefile_vars, NULL,
	  "the deploy lifecycle as targets of GNU make (`make -C out help` lists them); with environments, in each `<environment>/`",
	  EMIT_CLUSTER },
	{ "Makefile", 0644, "environments.mk.tpl", makefile_top_vars, NULL,
	  "with environments: the top level, whose every target runs that of `<ENVIRONMENT>/Makefile` (`make deploy ENVIRONMENT=staging`)",
	  EMIT_TOP },
	{ "scripts/*.sh", 0755, "scripts/*.sh.tpl", NULL, NULL,
	  "the helper scripts the Makefile and the buildspecs run, one per step (always as `sh NAME.sh`); with environments, in `out/` and each `<environment>/`",
	  EMIT_SHARED },
};

const size_t emitter_registry_count = sizeof emitter_registry / sizeof emitter_registry[0];

const char *emitters_top_level_name(const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < emitter_registry_count; i++) {
		const char *path = emitter_registry[i].path;
		const char *slash = strchr(path, '/');
		size_t len = slash ? (size_t)(slash - path) : strlen(path);

		if (emitter_registry[i].scope == EMIT_CLUSTER || len != n || strncasecmp(path, name, n))
			continue;
		return path;
	}
	return NULL;
}
