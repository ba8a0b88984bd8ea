"""Test-only: start moto_server with what ecsgen's fleets need of it.

    python3 moto_launcher.py -H 127.0.0.1 -p PORT

moto 5.2.1 lacks three things the compute stacks and the scaler use, and
make destroy one more; each
patch below adds one, as ../shared/reference/moto.md describes, then the
ordinary server runs.  Nothing else changes: the EC2 backend's own
CreateFleet, DescribeFleets, DescribeFleetInstances and DeleteFleets do
the work.

1. AWS::EC2::EC2Fleet in CloudFormation (EC2FleetModel): moto has no model
   for it and skips the type silently, so a compute stack would come up
   without its fleet.  Create calls CreateFleet with the template's
   properties.  Update changes the target capacities and the excess
   policy in place (ModifyFleet, patch 2), the only properties that are
   not create-only; any other change replaces the fleet, as
   CloudFormation does.  Delete is DeleteFleets with TerminateInstances,
   as CloudFormation's handler does.  moto resolves an override under
   Fn::If [cond, {...}, AWS::NoValue] to None rather than dropping it (a
   subnet slot past the list): those are dropped here.
   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-ec2fleet.html
2. ModifyFleet: moto raises NotImplementedError.  The backend's
   modify_fleet sets TotalTargetCapacity (and the excess policy), launches
   the difference when it grows and, on a decrease, terminates instances
   only under the "termination" policy.  AWS moves a fleet through the
   modifying state; here the change is complete at once.
   https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyFleet.html
3. AWS::EC2::SpotFleet with LaunchTemplateConfigs: moto builds a Spot Fleet
   from LaunchSpecifications only and answers HTTP 500.  ecsgen emits no
   Spot Fleet any more, but the upgrade test deploys one the way older
   ecsgen versions did, so this passes LaunchTemplateConfigs on.

4. ListServices keeps deleted services: moto marks a deleted service
   INACTIVE and goes on listing it, so make destroy would refuse forever
   after the user ran the delete-service it printed.  On AWS a deleted
   service leaves ListServices at once (DRAINING, then INACTIVE, both seen
   only by DescribeServices); the patch lists ACTIVE services only.
   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteService.html

Fleets default to on-demand when DefaultTargetCapacityType is not given,
on AWS and in moto alike; moto honours "spot" (its CreateFleet requests
Spot Instances then), so that needs no patch.  tests/cfn/moto_patches.test
checks each patch against moto.
"""
import copy
import sys

from moto.core.common_models import CloudFormationModel
from moto.ec2.models import ec2_backends
from moto.ecs.models import EC2ContainerServiceBackend
from moto.ec2.models.fleets import Fleet, FleetsBackend
from moto.ec2.models.spot_requests import SpotFleetRequest
from moto.ec2.responses.fleets import Fleets
from moto.core.responses import ActionResult

# What an update may change in place; every other property is create-only
# (cfn-lint's bundled schema; emitters/cfn_create_only.c).
UPDATABLE = ("TargetCapacitySpecification", "ExcessCapacityTerminationPolicy", "Context")
CAPACITY_CREATE_ONLY = ("DefaultTargetCapacityType", "TargetCapacityUnitType")


# --- 2. ModifyFleet -----------------------------------------------------------

def modify_fleet(self, fleet_id, target_capacity_specification, excess_capacity_termination_policy):
    fleet = self.fleets[fleet_id]
    if excess_capacity_termination_policy:
        fleet.excess_capacity_termination_policy = excess_capacity_termination_policy
    spec = target_capacity_specification or {}
    if "TotalTargetCapacity" in spec:
        target = int(spec["TotalTargetCapacity"])
        if target < 0:
            raise ValueError("TotalTargetCapacity below 0")
        fleet.target_capacity_specification = {**fleet.target_capacity_specification,
                                               "TotalTargetCapacity": target}
        fleet.target_capacity = target
        delta = target - fleet.fulfilled_capacity
        if delta > 0:
            if (fleet.target_capacity_specification.get("DefaultTargetCapacityType") or "on-demand") == "spot":
                fleet.create_spot_requests(delta)
            else:
                fleet.create_on_demand_requests(delta)
        elif delta < 0 and fleet.excess_capacity_termination_policy == "termination":
            fleet.terminate_instances()
            fleet.fulfilled_capacity = float(target)
    return fleet


def modify_fleet_response(self):
    self.error_on_dryrun()
    self.ec2_backend.modify_fleet(
        self._get_param("FleetId"),
        self._get_param("TargetCapacitySpecification", {}),
        self._get_param("ExcessCapacityTerminationPolicy"),
    )
    return ActionResult({"Return": True})


FleetsBackend.modify_fleet = modify_fleet
Fleets.modify_fleet = modify_fleet_response


# --- 1. AWS::EC2::EC2Fleet in CloudFormation --------------------------------------

class EC2FleetModel(CloudFormationModel):
    """The CloudFormation side of an EC2 Fleet; the fleet itself is the backend's."""

    # moto files every model under the service its module names (moto.<service>...).
    __module__ = "moto.ec2.ecsgen_launcher"

    @staticmethod
    def cloudformation_name_type():
        return ""

    @staticmethod
    def cloudformation_type():
        return "AWS::EC2::EC2Fleet"

    @classmethod
    def has_cfn_attr(cls, attr):
        return attr == "FleetId"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        p = cloudformation_json["Properties"]
        # moto resolves an override under Fn::If [cond, {...}, AWS::NoValue] to None, not to nothing.
        configs = [{**c, "Overrides": [o for o in c.get("Overrides", []) if o is not None]}
                   for c in p["LaunchTemplateConfigs"]]
        fleet = ec2_backends[account_id][region_name].create_fleet(
            on_demand_options=p.get("OnDemandOptions", {}),
            spot_options=p.get("SpotOptions", {}),
            target_capacity_specification=dict(p["TargetCapacitySpecification"]),
            launch_template_configs=configs,
            excess_capacity_termination_policy=p.get("ExcessCapacityTerminationPolicy"),
            replace_unhealthy_instances=p.get("ReplaceUnhealthyInstances"),
            terminate_instances_with_expiration=p.get("TerminateInstancesWithExpiration", True),
            fleet_type=p.get("Type", "maintain"),
            valid_from=None,
            valid_until=None,
            tag_specifications=p.get("TagSpecifications", []),
        )
        # What it was created from: an update compares against it.
        fleet.cfn_properties = copy.deepcopy(p)
        return fleet

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json,
                                        account_id, region_name):
        new = cloudformation_json["Properties"]
        old = getattr(original_resource, "cfn_properties", {})
        create_only = {k for k in set(old) | set(new) if k not in UPDATABLE and old.get(k) != new.get(k)}
        old_cap, new_cap = old.get("TargetCapacitySpecification", {}), new.get("TargetCapacitySpecification", {})
        create_only |= {k for k in CAPACITY_CREATE_ONLY if old_cap.get(k) != new_cap.get(k)}
        backend = ec2_backends[account_id][region_name]
        if create_only:
            # A create-only property changed: CloudFormation replaces the fleet.
            fleet = cls.create_from_cloudformation_json(new_resource_name, cloudformation_json,
                                                        account_id, region_name)
            backend.delete_fleets([original_resource.id], True)
            return fleet
        backend.modify_fleet(original_resource.id, new_cap, new.get("ExcessCapacityTerminationPolicy"))
        original_resource.cfn_properties = copy.deepcopy(new)
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
        backend = ec2_backends[account_id][region_name]
        if resource_name in backend.fleets:
            backend.delete_fleets([resource_name], True)


# CloudFormation holds the backend's Fleet as the resource: it is created at once.
Fleet.is_created = lambda self: True


# --- 3. SpotFleet with LaunchTemplateConfigs (legacy versions) ----------------

def _create_spot_fleet(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    p = cloudformation_json["Properties"]["SpotFleetRequestConfigData"]
    return ec2_backends[account_id][region_name].request_spot_fleet(
        spot_price=p.get("SpotPrice"), target_capacity=p["TargetCapacity"],
        iam_fleet_role=p["IamFleetRole"], allocation_strategy=p.get("AllocationStrategy", "lowestPrice"),
        launch_specs=p.get("LaunchSpecifications", []), launch_template_config=p.get("LaunchTemplateConfigs"),
        instance_interruption_behaviour=p.get("InstanceInterruptionBehavior"),
        tag_specifications=p.get("TagSpecifications", []))


SpotFleetRequest.create_from_cloudformation_json = classmethod(_create_spot_fleet)


# --- 4. ListServices without deleted services ---------------------------------

_list_services = EC2ContainerServiceBackend.list_services


def _active_services(self, cluster_str, *args, **kwargs):
    arns = _list_services(self, cluster_str, *args, **kwargs)
    gone = {svc.arn for svc in self.services.values() if svc.status != "ACTIVE"}
    return [arn for arn in arns if arn not in gone]


EC2ContainerServiceBackend.list_services = _active_services

if __name__ == "__main__":
    from moto.server import main
    sys.exit(main())
