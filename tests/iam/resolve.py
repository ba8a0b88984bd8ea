"""CloudFormation intrinsics resolved to one fixed account and region.

    Stacks(cluster, {"cluster": tmpl, "health": tmpl, "compute": tmpl, "pipeline": tmpl})

gives every stack's resources a physical id and ARN the way CloudFormation
names them (a generated name is STACK-LOGICALID-SUFFIX), evaluates Ref,
Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If (conditions on
the parameter values below), Fn::ImportValue (the cluster stack's exports)
and AWS::NoValue.  Anything it cannot resolve raises Unresolved: the IAM
check fails rather than guess.
"""
import hashlib
import re

PARTITION = "aws"
REGION = "us-west-2"       # moto's default region: moto's ARNs match these
ACCOUNT = "123456789012"   # moto's default account
VERSION = "v1"             # the compute stack checked: CLUSTER-compute-v1


class Unresolved(Exception):
    pass


def _suffix(*parts, n=12, upper=True):
    h = hashlib.sha256("/".join(parts).encode()).hexdigest()[:n]
    return h.upper() if upper else h


NO_VALUE = object()


class Stacks:
    def __init__(self, cluster, templates):
        self.cluster = cluster
        self.templates = templates
        self.names = {"cluster": f"{cluster}-cluster", "health": f"{cluster}-health",
                      "compute": f"{cluster}-compute-{VERSION}", "pipeline": f"{cluster}-pipeline"}
        self._params = {}
        self.assets = {}  # the assets stack's template, for its export (requests.py sets it)

    # --- parameters: the values the Makefile passes (deploy-compute.sh) ---
    def param(self, stack, name):
        t = self.templates[stack]
        p = t.get("Parameters", {}).get(name)
        if p is None:
            raise Unresolved(f"{stack}: Ref {name}: no such parameter or resource")
        fixed = {
            ("cluster", "VpcId"): "vpc-0a1b2c3d4e5f60718",
            ("cluster", "Subnets"): ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60722"],
            ("compute", "Version"): VERSION,
            ("compute", "Status"): "active",
            ("compute", "AMI"): "ami-0a1b2c3d4e5f60718",
        }
        if (stack, name) in fixed:
            return fixed[(stack, name)]
        if stack == "compute":
            # deploy-compute.sh passes the cluster stack's outputs.
            outputs = self.templates["cluster"].get("Outputs", {})
            if name in outputs:
                v = self.value("cluster", outputs[name]["Value"])
                return v.split(",") if p.get("Type", "").startswith("List<") or p.get("Type") == "CommaDelimitedList" else v
        if "Default" in p:
            d = p["Default"]
            return d.split(",") if p.get("Type") == "CommaDelimitedList" else d
        raise Unresolved(f"{stack}: parameter {name} has no value the deploy would pass")

    # --- resources ---
    def resource(self, stack, lid):
        res = self.templates[stack]["Resources"].get(lid)
        if res is None:
            raise Unresolved(f"{stack}: no resource {lid}")
        return res

    def generated_name(self, stack, lid, limit=64):
        name = f"{self.names[stack]}-{lid}"[: limit - 13]
        return f"{name}-{_suffix(stack, lid)}"

    def ref(self, stack, lid):
        """What Ref gives for a resource."""
        res = self.resource(stack, lid)
        t, props = res["Type"], res.get("Properties", {})
        own = lambda key: self.value(stack, props[key]) if key in props else None  # noqa: E731
        if t == "AWS::IAM::Role":
            return self.generated_name(stack, lid)
        if t == "AWS::IAM::InstanceProfile":
            return self.generated_name(stack, lid)
        if t == "AWS::S3::Bucket":
            return own("BucketName") or self.generated_name(stack, lid).lower()
        if t == "AWS::Logs::LogGroup":
            return own("LogGroupName") or self.generated_name(stack, lid, 512)
        if t == "AWS::SSM::Parameter":
            return own("Name") or f"CFN-{lid}-{_suffix(stack, lid)}"
        if t == "AWS::ECS::Cluster":
            return own("ClusterName") or self.generated_name(stack, lid)
        if t == "AWS::ECS::TaskDefinition":
            family = own("Family") or self.generated_name(stack, lid)
            return f"arn:{PARTITION}:ecs:{REGION}:{ACCOUNT}:task-definition/{family}:1"
        if t == "AWS::Lambda::Function":
            return own("FunctionName") or self.generated_name(stack, lid)
        if t == "AWS::Events::Rule":
            return own("Name") or self.generated_name(stack, lid)
        if t == "AWS::EC2::SecurityGroup":
            return "sg-" + _suffix(stack, lid, n=17, upper=False)
        if t == "AWS::EC2::LaunchTemplate":
            return "lt-" + _suffix(stack, lid, n=17, upper=False)
        if t == "AWS::EC2::SpotFleet":
            return "sfr-" + _suffix(stack, lid, n=8, upper=False) + "-0000-4000-8000-000000000000"
        if t == "AWS::EC2::EC2Fleet":
            return "fleet-" + _suffix(stack, lid, n=8, upper=False) + "-0000-4000-8000-000000000000"
        if t == "AWS::AutoScaling::AutoScalingGroup":
            return own("AutoScalingGroupName") or self.generated_name(stack, lid, 255)
        if t == "AWS::SecretsManager::Secret":
            name = own("Name") or self.generated_name(stack, lid)
            return f"arn:{PARTITION}:secretsmanager:{REGION}:{ACCOUNT}:secret:{name}-AbCdEf"
        if t in ("AWS::CodeBuild::Project", "AWS::CodePipeline::Pipeline"):
            return own("Name") or self.generated_name(stack, lid)
        if t == "AWS::DynamoDB::Table":
            return own("TableName") or self.generated_name(stack, lid)
        if t == "AWS::SNS::Topic":
            name = own("TopicName") or self.generated_name(stack, lid, 256)
            return f"arn:{PARTITION}:sns:{REGION}:{ACCOUNT}:{name}"
        if t == "AWS::KMS::Key":
            return _suffix(stack, lid, n=8, upper=False) + "-0000-4000-8000-000000000000"
        if t == "AWS::CloudWatch::Alarm":
            return own("AlarmName") or self.generated_name(stack, lid, 255)
        if t == "AWS::IAM::ManagedPolicy":
            return self.arn(stack, lid)
        raise Unresolved(f"{stack}: Ref {lid}: no physical id known for {t}")

    def arn(self, stack, lid):
        """The resource's ARN (Fn::GetAtt Arn, and the IAM check's target)."""
        res = self.resource(stack, lid)
        t, props = res["Type"], res.get("Properties", {})
        path = self.value(stack, props.get("Path", "/"))
        a = f"arn:{PARTITION}"
        if t == "AWS::IAM::ManagedPolicy":
            # Ref gives the ARN.
            name = self.value(stack, props["ManagedPolicyName"]) if "ManagedPolicyName" in props \
                else self.generated_name(stack, lid, 128)
            return f"{a}:iam::{ACCOUNT}:policy{path}{name}"
        ref = self.ref(stack, lid)
        table = {
            "AWS::IAM::Role": f"{a}:iam::{ACCOUNT}:role{path}{ref}",
            "AWS::IAM::InstanceProfile": f"{a}:iam::{ACCOUNT}:instance-profile{path}{ref}",
            "AWS::S3::Bucket": f"{a}:s3:::{ref}",
            "AWS::Logs::LogGroup": f"{a}:logs:{REGION}:{ACCOUNT}:log-group:{ref}",
            "AWS::SSM::Parameter": f"{a}:ssm:{REGION}:{ACCOUNT}:parameter{'' if ref.startswith('/') else '/'}{ref}",
            "AWS::ECS::Cluster": f"{a}:ecs:{REGION}:{ACCOUNT}:cluster/{ref}",
            "AWS::ECS::TaskDefinition": ref,
            "AWS::Lambda::Function": f"{a}:lambda:{REGION}:{ACCOUNT}:function:{ref}",
            "AWS::Events::Rule": f"{a}:events:{REGION}:{ACCOUNT}:rule/{ref}",
            "AWS::EC2::SecurityGroup": f"{a}:ec2:{REGION}:{ACCOUNT}:security-group/{ref}",
            "AWS::EC2::LaunchTemplate": f"{a}:ec2:{REGION}:{ACCOUNT}:launch-template/{ref}",
            "AWS::EC2::SpotFleet": f"{a}:ec2:{REGION}:{ACCOUNT}:spot-fleet-request/{ref}",
            "AWS::EC2::EC2Fleet": f"{a}:ec2:{REGION}:{ACCOUNT}:fleet/{ref}",
            "AWS::AutoScaling::AutoScalingGroup":
                f"{a}:autoscaling:{REGION}:{ACCOUNT}:autoScalingGroup:00000000-0000-4000-8000-000000000000:autoScalingGroupName/{ref}",
            "AWS::SecretsManager::Secret": ref,
            "AWS::CodeBuild::Project": f"{a}:codebuild:{REGION}:{ACCOUNT}:project/{ref}",
            "AWS::CodePipeline::Pipeline": f"{a}:codepipeline:{REGION}:{ACCOUNT}:{ref}",
            "AWS::DynamoDB::Table": f"{a}:dynamodb:{REGION}:{ACCOUNT}:table/{ref}",
            "AWS::SNS::Topic": ref,
            "AWS::KMS::Key": f"{a}:kms:{REGION}:{ACCOUNT}:key/{ref}",
            "AWS::CloudWatch::Alarm": f"{a}:cloudwatch:{REGION}:{ACCOUNT}:alarm:{ref}",
        }
        if t not in table:
            raise Unresolved(f"{stack}: no ARN known for {lid} ({t})")
        return table[t]

    def getatt(self, stack, lid, attr):
        t = self.resource(stack, lid)["Type"]
        if attr == "Arn":
            return self.arn(stack, lid)
        if t == "AWS::EC2::SecurityGroup" and attr == "GroupId":
            return self.ref(stack, lid)
        if t == "AWS::EC2::LaunchTemplate" and attr in ("LatestVersionNumber", "DefaultVersionNumber"):
            return "1"
        raise Unresolved(f"{stack}: Fn::GetAtt {lid}.{attr} ({t})")

    # --- conditions and values ---
    def condition(self, stack, name):
        conds = self.templates[stack].get("Conditions", {})
        if name not in conds:
            raise Unresolved(f"{stack}: no condition {name}")
        return bool(self.value(stack, conds[name]))

    def value(self, stack, node):
        if isinstance(node, list):
            out = [self.value(stack, v) for v in node]
            return [v for v in out if v is not NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) != 1 or not next(iter(node)).startswith(("Fn::", "Ref", "Condition")):
            out = {k: self.value(stack, v) for k, v in node.items()}
            return {k: v for k, v in out.items() if v is not NO_VALUE}
        (fn, arg), = node.items()
        if fn == "Ref":
            pseudo = {"AWS::Partition": PARTITION, "AWS::Region": REGION, "AWS::AccountId": ACCOUNT,
                      "AWS::StackName": self.names[stack], "AWS::URLSuffix": "amazonaws.com",
                      "AWS::NoValue": NO_VALUE}
            if arg in pseudo:
                return pseudo[arg]
            if arg in self.templates[stack].get("Resources", {}):
                return self.ref(stack, arg)
            return self.param(stack, arg)
        if fn == "Fn::GetAtt":
            lid, attr = arg.split(".", 1) if isinstance(arg, str) else arg
            return self.getatt(stack, lid, attr)
        if fn == "Fn::Sub":
            text, extra = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
            extra = {k: self.value(stack, v) for k, v in extra.items()}

            def one(m):
                name = m.group(1)
                if name.startswith("!"):
                    return "${" + name[1:] + "}"
                if name in extra:
                    return str(extra[name])
                if "." in name and not name.startswith("AWS::"):
                    lid, attr = name.split(".", 1)
                    return str(self.getatt(stack, lid, attr))
                v = self.value(stack, {"Ref": name})
                if isinstance(v, list):
                    raise Unresolved(f"{stack}: Fn::Sub of the list {name}")
                return str(v)
            return re.sub(r"\$\{([^}]*)\}", one, text)
        if fn == "Fn::Join":
            sep, items = arg
            items = self.value(stack, items)
            return sep.join(str(x) for x in items)
        if fn == "Fn::Select":
            i, items = arg
            return self.value(stack, items)[int(self.value(stack, i))]
        if fn == "Fn::Split":
            sep, text = arg
            return str(self.value(stack, text)).split(sep)
        if fn == "Fn::If":
            name, yes, no = arg
            return self.value(stack, yes if self.condition(stack, name) else no)
        if fn == "Fn::Equals":
            a, b = (self.value(stack, x) for x in arg)
            return a == b
        if fn == "Fn::Not":
            return not self.value(stack, arg[0])
        if fn == "Fn::And":
            return all(self.value(stack, x) for x in arg)
        if fn == "Fn::Or":
            return any(self.value(stack, x) for x in arg)
        if fn == "Condition":
            return self.condition(stack, arg)
        if fn == "Fn::ImportValue":
            name = self.value(stack, arg)
            for out in self.templates["cluster"].get("Outputs", {}).values():
                if "Export" in out and self.value("cluster", out["Export"]["Name"]) == name:
                    return self.value("cluster", out["Value"])
            # The assets stack exports its bucket (<cluster>-assets:Bucket); a Ref of a
            # bucket resolves to its logical id, as every Ref does here.
            for out in self.assets.get("Outputs", {}).values():
                if "Export" in out:
                    export = out["Export"]["Name"]
                    if isinstance(export, dict) and "Fn::Sub" in export:
                        export = export["Fn::Sub"].replace("${AWS::StackName}", f"{self.cluster}-assets")
                    if export == name:
                        value = out["Value"]
                        return value["Ref"] if isinstance(value, dict) and "Ref" in value else value
            raise Unresolved(f"{stack}: Fn::ImportValue {name}: no stack exports it")
        if fn == "Fn::Base64":
            return self.value(stack, arg)
        if fn == "Fn::GetAZs":
            return [f"{REGION}a", f"{REGION}b", f"{REGION}c"]
        raise Unresolved(f"{stack}: {fn} is not resolved")
