/*
 * packer.h - what the Packer file and the Makefile must agree on.
 *
 * `make ami` resolves the source image with the same filter Packer uses
 * (owner amazon, this name pattern, the cluster's architecture, hvm, ebs,
 * the newest), so its "already baked?" check looks at the image Packer
 * would start from.  Both emitters pass this one pattern to their template.
 */
#ifndef ECSGEN_PACKER_H
#define ECSGEN_PACKER_H

/* The ECS-optimized Amazon Linux 2023 images (not the -gpu- or -neuron- ones). */
#define PACKER_SOURCE_NAME_PATTERN "al2023-ami-ecs-hvm-*"

#endif
