# AMI update: AWS publishes a new ECS-optimized image on its public SNS topic
# (cluster.ami_updates: auto); this starts the cluster's pipeline.  The bake
# step skips an image that is current, and the deploy step deploys a new
# version (<commit>-<image digest>) only when the resolved image changed: a
# notice about another region's or another variant's image deploys nothing.
import json
import os
import re

import boto3
from botocore.config import Config

CONFIG = Config(retries={"mode": "adaptive", "max_attempts": 8})

# StartPipelineExecution's clientRequestToken: SNS may deliver one message
# twice, and one message starts one run.
# https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_StartPipelineExecution.html
TOKEN = re.compile(r"^[a-zA-Z0-9-]+$")


def start(pipeline, token):
    # Its own function so tests can stub it.
    kwargs = {"name": pipeline}
    if token:
        kwargs["clientRequestToken"] = token
    return boto3.client("codepipeline", config=CONFIG).start_pipeline_execution(**kwargs)


def handler(event, context):
    pipeline = os.environ["PIPELINE_NAME"]
    started = []
    for record in event.get("Records", []):
        sns = record.get("Sns", {})
        message_id = str(sns.get("MessageId", ""))[:128]
        token = message_id if TOKEN.match(message_id) else ""
        print(json.dumps({"topic": sns.get("TopicArn"), "message_id": message_id,
                          "subject": sns.get("Subject"), "pipeline": pipeline}))
        run = start(pipeline, token)
        started.append(run.get("pipelineExecutionId"))
        print(json.dumps({"started": run.get("pipelineExecutionId")}))
    return {"started": started}
