/*
 * variant.h - the node image variants, and the table of instance families
 * that says which variant each family runs.
 *
 * A variant is one ECS-optimized Amazon Linux 2023 image kind: x86_64,
 * arm64, or x86_64 with NVIDIA GPUs.  A cluster runs one launch template per
 * fleet or group, each on its variant's image, and gets one image-id
 * parameter per variant present (cfn_compute.c); deploy-compute.sh resolves
 * each once per deploy.  The checker refuses families with an accelerator
 * that no variant here drives (AMD and arm64 GPUs, Inferentia, Trainium),
 * and a fleet whose bids mix variants.
 *
 * The tables are static data: nobody frees anything.
 */
#ifndef ECSGEN_VARIANT_H
#define ECSGEN_VARIANT_H

#include <stdbool.h>

enum variant {
	VARIANT_X86_64,
	VARIANT_ARM64,
	VARIANT_GPU,
	VARIANT_COUNT
};

struct variant_info {
	const char *name;      /* infra.yml's and the scripts' word: x86_64, arm64, gpu */
	const char *arch;      /* the image's and ECS's cpu architecture: x86_64 or arm64 */
	const char *suffix;    /* of the compute stack's parameters: AMI<suffix>, RootVolumeSize<suffix> */
	const char *ssm;       /* the public SSM parameter of the current ECS-optimized image */
	bool gpu;              /* ECS_ENABLE_GPU_SUPPORT=true on its nodes */
	bool bake;             /* `make ami` bakes it (the GPU image is used as published) */
	const char *describe;  /* for messages and docs */
};

/* Indexed by enum variant. */
extern const struct variant_info variant_table[VARIANT_COUNT];

/*
 * The variant of an instance type ("g5.xlarge" -> VARIANT_GPU).  A family
 * ecsgen refuses returns -1 and sets *why to a sentence for the error, *hint
 * to one for its hint; otherwise both are left alone.
 */
int variant_of_type(const char *instance_type, const char **why, const char **hint);

/* The variant named name ("arm64"), or -1. */
int variant_find(const char *name);

#endif
