"""Test-only: start moto_server with SpotFleet launch-template support.

moto 5.2.1 builds an AWS::EC2::SpotFleet from LaunchSpecifications only and
answers HTTP 500 to LaunchTemplateConfigs, which is what ecsgen emits.  This
passes LaunchTemplateConfigs on to the EC2 backend (as ../shared/reference/
moto.md describes), then runs the ordinary server:

    python3 moto_launcher.py -H 127.0.0.1 -p PORT
"""
import sys

from moto.ec2.models.spot_requests import SpotFleetRequest
from moto.server import main


def _create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    from moto.ec2.models import ec2_backends

    p = cloudformation_json["Properties"]["SpotFleetRequestConfigData"]
    return ec2_backends[account_id][region_name].request_spot_fleet(
        spot_price=p.get("SpotPrice"), target_capacity=p["TargetCapacity"],
        iam_fleet_role=p["IamFleetRole"], allocation_strategy=p.get("AllocationStrategy", "lowestPrice"),
        launch_specs=p.get("LaunchSpecifications", []), launch_template_config=p.get("LaunchTemplateConfigs"),
        instance_interruption_behaviour=p.get("InstanceInterruptionBehavior"),
        tag_specifications=p.get("TagSpecifications", []))


SpotFleetRequest.create_from_cloudformation_json = classmethod(_create)
sys.exit(main())
