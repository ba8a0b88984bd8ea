/*
 * variant.c - which image variant each instance family runs (see variant.h).
 *
 * A table, not a naming rule: "g" leads both NVIDIA (g5) and AMD (g4ad)
 * GPU families and ends Graviton (m7g) and arm64 GPU (g5g) ones.  Families
 * are those of "Amazon EC2 instance types" (Accelerated computing lists
 * each family's accelerator):
 * https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-types.html
 * A family not listed (a new general-purpose one) is x86_64, unless AWS's
 * naming convention marks it Graviton (a "g" among the attribute letters:
 * https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html).
 *
 * The SSM parameters are those of "Retrieving Amazon ECS-optimized Linux
 * AMI metadata":
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/retrieve-ecs-optimized_AMI.html
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "variant.h"

#define SSM_PREFIX "/aws/service/ecs/optimized-ami/amazon-linux-2023/"

const struct variant_info variant_table[VARIANT_COUNT] = {
	[VARIANT_X86_64] = { "x86_64", "x86_64", "", SSM_PREFIX "recommended/image_id", false, true,
			     "x86_64" },
	[VARIANT_ARM64] = { "arm64", "arm64", "Arm64", SSM_PREFIX "arm64/recommended/image_id", false, true,
			    "arm64" },
	[VARIANT_GPU] = { "gpu", "x86_64", "Gpu", SSM_PREFIX "gpu/recommended/image_id", true, false,
			  "NVIDIA GPU" },
};

enum { REFUSED = -1 };

struct family {
	const char *name; /* the part of the type before the '.' */
	int variant;      /* enum variant, or REFUSED */
	const char *why;  /* REFUSED: the error's reason */
	const char *hint;
};

#define ARM(f) { f, VARIANT_ARM64, NULL, NULL }
#define GPU(f) { f, VARIANT_GPU, NULL, NULL }
#define NO(f, why, hint) { f, REFUSED, why, hint }

static const char amd_why[] = "has AMD Radeon GPUs, which the ECS-optimized GPU image does not drive";
static const char amd_hint[] = "use an NVIDIA family (g4dn, g5, g6) for GPU tasks, or a plain x86_64 family";
static const char arm_gpu_why[] = "has GPUs on arm64, and there is no arm64 ECS-optimized GPU image";
static const char arm_gpu_hint[] = "use an x86_64 NVIDIA family (g4dn, g5, g6) for GPU tasks, or a Graviton family without GPUs (m7g, c7g)";
static const char neuron_why[] = "has AWS Inferentia or Trainium chips, which need the Neuron image ecsgen does not support";
static const char neuron_hint[] = "use an NVIDIA family (g5, g6, p4d) for accelerated tasks";
static const char other_why[] = "has an accelerator that no ECS-optimized image ecsgen uses drives";
static const char other_hint[] = "use an NVIDIA family (g5, g6, p4d) for accelerated tasks";
static const char old_why[] = "has NVIDIA Kepler GPUs, which the current ECS GPU image's driver no longer supports";
static const char old_hint[] = "use a newer NVIDIA family (g4dn, g5, p3)";

/* Sorted by name (bsearch). */
static const struct family families[] = {
	ARM("a1"),
	ARM("c6g"), ARM("c6gd"), ARM("c6gn"), ARM("c7g"), ARM("c7gd"), ARM("c7gn"), ARM("c8g"), ARM("c8gd"), ARM("c8gn"),
	NO("dl1", other_why, other_hint), NO("dl2q", other_why, other_hint),
	GPU("g3"), GPU("g3s"), NO("g4ad", amd_why, amd_hint), GPU("g4dn"), GPU("g5"), NO("g5g", arm_gpu_why, arm_gpu_hint),
	GPU("g6"), GPU("g6e"), GPU("g6f"), GPU("gr6"), GPU("gr6f"),
	ARM("hpc7g"),
	ARM("i4g"), ARM("i8g"), ARM("im4gn"),
	NO("inf1", neuron_why, neuron_hint), NO("inf2", neuron_why, neuron_hint),
	ARM("is4gen"),
	ARM("m6g"), ARM("m6gd"), ARM("m7g"), ARM("m7gd"), ARM("m8g"), ARM("m8gd"),
	ARM("mac2"), ARM("mac2-m1ultra"), ARM("mac2-m2"), ARM("mac2-m2pro"),
	NO("p2", old_why, old_hint), GPU("p3"), GPU("p3dn"), GPU("p4d"), GPU("p4de"), GPU("p5"), GPU("p5e"), GPU("p5en"),
	GPU("p6-b200"), NO("p6e-gb200", arm_gpu_why, arm_gpu_hint),
	ARM("r6g"), ARM("r6gd"), ARM("r7g"), ARM("r7gd"), ARM("r8g"), ARM("r8gd"),
	ARM("t4g"),
	NO("trn1", neuron_why, neuron_hint), NO("trn1n", neuron_why, neuron_hint), NO("trn2", neuron_why, neuron_hint),
	ARM("x2gd"), ARM("x8g"),
};

static int by_name(const void *key, const void *elem)
{
	const char *k = key;
	const struct family *f = elem;
	size_t n = strlen(f->name);
	int c = strncmp(k, f->name, n);

	if (c)
		return c;
	/* key is the whole type: its family ends at the '.' */
	return k[n] == '.' || k[n] == '\0' ? 0 : 1;
}

/* A family the table does not list: the naming convention's Graviton letter. */
static int unlisted(const char *p)
{
	while (*p && isalpha((unsigned char)*p))
		p++;
	if (!isdigit((unsigned char)*p))
		return VARIANT_X86_64;
	while (isdigit((unsigned char)*p))
		p++;
	for (; *p && *p != '.' && *p != '-'; p++)
		if (*p == 'g')
			return VARIANT_ARM64;
	return VARIANT_X86_64;
}

int variant_of_type(const char *instance_type, const char **why, const char **hint)
{
	const struct family *f = bsearch(instance_type, families, sizeof families / sizeof families[0],
					 sizeof families[0], by_name);

	if (!f)
		return unlisted(instance_type);
	if (f->variant == REFUSED) {
		*why = f->why;
		*hint = f->hint;
	}
	return f->variant;
}

int variant_find(const char *name)
{
	int v;

	for (v = 0; v < VARIANT_COUNT; v++)
		if (!strcmp(variant_table[v].name, name))
			return v;
	return -1;
}
