{{ cluster.nmae }} {{ ec2_instances.spot_fleet }}
{{#each ec2_instances.spot_fleets as f}}{{ f.bid }}{{/each}}
