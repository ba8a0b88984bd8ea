/*
 * cfn_health.c - cloudformation/health.json: the smoke-test task of one
 * cluster (<cluster>-health).  The smoke test (templates/scripts/
 * smoke-test.sh.tpl) runs it on the new version's nodes only, once per
 * image variant present; its one container pulls a tiny public image,
 * starts and exits 0, which proves a node can pull, start and run a
 * container.  A cluster with a GPU variant gets a second revision of the
 * same family that reserves one GPU, so its run proves the node registered
 * its GPUs with ECS and places GPU tasks.  No parameters; outputs in
 * templates/CONTRACT.md.
 */
#include "config.h"

#include <stdbool.h>

#include "arena.h"
#include "cfn.h"
#include "emitter.h"
#include "ir.h"
#include "variant.h"

/*
 * A tiny image in ECR Public (no Docker Hub pull limits), pinned by the
 * digest of its multi-arch index (OCI image index / manifest list), so the
 * same reference pulls the linux/amd64 image on x86_64 nodes and the
 * linux/arm64 one on Graviton, and nothing drifts under a tag.  The digest
 * is Docker's official busybox 1.36.1 index, which ECR Public's
 * docker/library mirror serves unchanged; it was taken from public
 * references to that index (no registry is reachable from ecsgen's build
 * machines).  To bump it: `docker buildx imagetools inspect
 * public.ecr.aws/docker/library/busybox:TAG` prints the index's Digest and
 * must list linux/amd64 and linux/arm64; put both here and regenerate the
 * golden files (tests/update-golden).
 */
#define SMOKE_IMAGE                                                                                                   \
	"public.ecr.aws/docker/library/busybox:1.36.1"                                                                \
	"@sha256:73aaf090f3d85aa34ee199857f03fa3a95c8ede2ffd4cc2cdb5b94e566b11662"

/* The task definition: the smoke container, reserving one GPU when gpu. */
static void task_definition(struct emit_context *ctx, struct cfn_value *props, bool gpu)
{
	struct cfn_value *container, *logging, *options;

	cfn_set_str(props, "Family", IR_NAME(ctx->ir, STACK_HEALTH));
	cfn_set(props, "RequiresCompatibilities", cfn_array(cfn_str("EC2"), NULL));
	cfn_set_str(props, "NetworkMode", "bridge");
	container = cfn_obj();
	cfn_set_str(container, "Name", "smoke");
	cfn_set_str(container, "Image", SMOKE_IMAGE);
	cfn_set(container, "Essential", cfn_bool(true));
	cfn_set(container, "Command", cfn_array(cfn_str("sh"), cfn_str("-c"),
						cfn_str("echo ecsgen smoke test: pulled, started, ran"), NULL));
	cfn_set_int(container, "Cpu", 16);
	cfn_set_int(container, "Memory", 32);
	/*
	 * "The number of GPUs that's reserved for all containers in a task
	 * can't exceed the number of available GPUs on the container instance":
	 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ResourceRequirement.html
	 */
	if (gpu) {
		struct cfn_value *req = cfn_obj();
		cfn_set_str(req, "Type", "GPU");
		cfn_set_str(req, "Value", "1");
		cfn_set(container, "ResourceRequirements", cfn_array(req, NULL));
	}
	logging = cfn_set(container, "LogConfiguration", cfn_obj());
	cfn_set_str(logging, "LogDriver", "awslogs");
	options = cfn_set(logging, "Options", cfn_obj());
	cfn_set(options, "awslogs-group", cfn_ref("LogGroup"));
	cfn_set(options, "awslogs-region", cfn_ref("AWS::Region"));
	cfn_set_str(options, "awslogs-stream-prefix", gpu ? "smoke-gpu" : "smoke");
	cfn_set(props, "ContainerDefinitions", cfn_array(container, NULL));
	cfn_set(props, "Tags", cfn_cluster_tags(ctx->ir));
}

int cfn_health_build(struct emit_context *ctx, const struct emitter *row)
{
	const char *name = ctx->ir->cluster.name.value;
	struct cfn_template t;
	struct cfn_value *props;

	cfn_template_init(&t, row->path,
			  arena_printf(ctx->arena, "ecsgen: cluster %s: the smoke-test task", name));

	props = cfn_props(cfn_deleted_with_stack(cfn_resource(&t, "LogGroup", "AWS::Logs::LogGroup")));
	cfn_set_str(props, "LogGroupName", arena_printf(ctx->arena, "%shealth", IR_NAME(ctx->ir, LOG_GROUP_PREFIX)));
	cfn_set_int(props, "RetentionInDays", NAME_LOG_RETENTION_DAYS);
	cfn_set(props, "Tags", cfn_cluster_tags(ctx->ir));

	task_definition(ctx, cfn_props(cfn_resource(&t, "TaskDefinition", "AWS::ECS::TaskDefinition")), false);
	if (ctx->ir->has_variant[VARIANT_GPU])
		task_definition(ctx, cfn_props(cfn_resource(&t, "GpuTaskDefinition", "AWS::ECS::TaskDefinition")),
				true);

	cfn_output(&t, "TaskDefinition", "the smoke-test task definition (exit code 0: healthy)",
		   cfn_ref("TaskDefinition"), NULL);
	if (ctx->ir->has_variant[VARIANT_GPU])
		cfn_output(&t, "GpuTaskDefinition",
			   "the smoke-test task definition that reserves one GPU (the gpu variant's nodes)",
			   cfn_ref("GpuTaskDefinition"), NULL);
	return cfn_template_emit(ctx, &t, ctx->ir->cluster.name.loc);
}

