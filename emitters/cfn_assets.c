/*
 * cfn_assets.c - cloudformation/assets.json: the stack every other one is
 * deployed from (<cluster>-assets).  Its one private bucket holds the other
 * templates, each under its SHA-256 (templates/<sha256>.json), so a
 * template may grow to CloudFormation's 1 MB limit for a URL instead of the
 * 51,200 bytes of an inline body.  This template itself goes inline: it is
 * deployed first, before there is a bucket, and deleted last.
 *
 * Current objects never expire (a content-addressed key is re-used by
 * every deploy of the same template); old versions, which only a re-upload
 * of the same bytes makes, expire after 30 days.  The bucket name is
 * CloudFormation's (bucket names are global and lower-case, cluster names
 * neither), exported for the stacks whose roles read templates from it.
 */
#include "config.h"


#include "arena.h"
#include "cfn.h"
#include "emitter.h"
#include "ir.h"

#define NONCURRENT_DAYS 30

int cfn_assets_build(struct emit_context *ctx, const struct emitter *row)
{
	const char *name = ctx->ir->cluster.name.value;
	struct cfn_template t;

	cfn_template_init(&t, row->path,
			  arena_printf(ctx->arena, "ecsgen: cluster %s: the bucket the other templates deploy from",
				       name));
	cfn_private_bucket(&t, "AssetBucket", ctx->ir, "expire-old-template-versions", 0, NONCURRENT_DAYS);
	cfn_output(&t, "Bucket", "the assets bucket (templates/<sha256>.json; make destroy empties it)",
		   cfn_ref("AssetBucket"), "${AWS::StackName}:Bucket");
	/* The regional name: https://<bucket>.s3.<region>.amazonaws.com/<key> is the URL form to use. */
	cfn_output(&t, "BucketDomain", "the bucket's regional domain name, for --template-url",
		   cfn_getatt("AssetBucket", "RegionalDomainName"), NULL);
	return cfn_template_emit(ctx, &t, ctx->ir->cluster.name.loc);
}

