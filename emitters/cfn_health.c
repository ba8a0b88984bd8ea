/*
 * cfn_health.c - cloudformation/health.json: the smoke-test task of one
 * cluster (<cluster>-health).  The smoke test (templates/scripts/
 * smoke-test.sh.tpl) runs it on the new version's nodes only; its one
 * container pulls a tiny public image, starts and exits 0, which proves a
 * node can pull, start and run a container.  No parameters, one output
 * (templates/CONTRACT.md).
 */
#include "config.h"


#include "arena.h"
#include "cfn.h"
#include "emitter.h"
#include "ir.h"

/* A pinned tag of a tiny image in ECR Public: no Docker Hub pull limits, no drift. */
#define SMOKE_IMAGE "public.ecr.aws/docker/library/busybox:1.36"

int cfn_health_build(struct emit_context *ctx, const struct emitter *row)
{
	const char *name = ctx->ir->cluster.name.value;
	struct cfn_template t;
	struct cfn_value *props, *container, *logging, *options;

	cfn_template_init(&t, row->path,
			  arena_printf(ctx->arena, "ecsgen: cluster %s: the smoke-test task", name));

	props = cfn_props(cfn_deleted_with_stack(cfn_resource(&t, "LogGroup", "AWS::Logs::LogGroup")));
	cfn_set_str(props, "LogGroupName", arena_printf(ctx->arena, "%shealth", IR_NAME(ctx->ir, LOG_GROUP_PREFIX)));
	cfn_set_int(props, "RetentionInDays", NAME_LOG_RETENTION_DAYS);
	cfn_set(props, "Tags", cfn_cluster_tags(ctx->ir));

	props = cfn_props(cfn_resource(&t, "TaskDefinition", "AWS::ECS::TaskDefinition"));
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
	logging = cfn_set(container, "LogConfiguration", cfn_obj());
	cfn_set_str(logging, "LogDriver", "awslogs");
	options = cfn_set(logging, "Options", cfn_obj());
	cfn_set(options, "awslogs-group", cfn_ref("LogGroup"));
	cfn_set(options, "awslogs-region", cfn_ref("AWS::Region"));
	cfn_set_str(options, "awslogs-stream-prefix", "smoke");
	cfn_set(props, "ContainerDefinitions", cfn_array(container, NULL));
	cfn_set(props, "Tags", cfn_cluster_tags(ctx->ir));

	cfn_output(&t, "TaskDefinition", "the smoke-test task definition (exit code 0: healthy)",
		   cfn_ref("TaskDefinition"), NULL);
	return cfn_template_emit(ctx, &t, ctx->ir->cluster.name.loc);
}

