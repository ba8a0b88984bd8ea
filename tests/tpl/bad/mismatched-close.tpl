fleets:
{{#each ec2_instances.spot_fleets as fleet}}
  {{#if fleet.bids}}
  - {{ fleet.name }}
{{/each}}
{{/if}}
